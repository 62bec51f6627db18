// errors.js: the server's errors in the user's language.  The server stays the
// judge; the UI only translates its answer (code + field + message) through the
// catalogues, keeping the server's own words as a detail line.
import { h } from './dom.js';
import { t, has } from './i18n.js';

// [pattern on the server's message, catalogue key, (match) -> params]
const PATTERNS = [
	[/^required field is missing/, 'err.required'],
	[/must be an RFC 3339/, 'err.datetime'],
	[/longer than (\d+) characters/, 'err.too_long', m => ({ n: m[1] })],
	[/is not an allowed value/, 'err.enum'],
	[/exactly one event type/, 'err.one_event'],
	[/is listed twice/, 'err.listed_twice'],
	[/must have at least one row/, 'err.rows_required'],
	[/more than (\d+) rows/, 'err.too_many_rows', m => ({ n: m[1] })],
	[/must be blank/, 'err.ident_blank'],
	[/this is report (\d+) of the series/, 'err.seq', m => ({ n: m[1] })],
	[/keeps the series' sector|sector of a report series does not change/, 'err.sector_fixed'],
	[/may narrow the sharing range but not widen it/, 'err.tlp_widen'],
	[/legal reporting duty/, 'err.legal_duty_route'],
	[/no .* is registered for sector|no ministry is registered/, 'err.no_org_for_sector'],
	[/characters (\d+)-(\d+) identify the source/, 'err.deid', m => ({ from: m[1], to: m[2] })],
	[/TLP:(\S+) is wider than the source of report (R?\d+) allowed \(TLP:(\S+)\)/, 'err.scope_tlp', m => ({ report: m[2], tlp: m[1].toUpperCase(), allowed: m[3].toUpperCase() })],
	[/sector (\S+) lies beyond what the source of report (R?\d+)/, 'err.scope_sector', m => ({ report: m[2], sector: has(`sector.${m[1]}`) ? t(`sector.${m[1]}`) : m[1] })],
	[/outside the (?:report's|advisory's) TLP/, 'err.outside_tlp'],
	[/is not the ministry responsible/, 'err.not_responsible_ministry'],
	[/no such report at NISC|^no such report$/, 'err.related_not_at_nisc'],
	[/no such organisation/, 'err.no_such_org'],
	[/CSRF token/, 'err.csrf'],
	[/wrong login or password/, 'err.login'],
	[/session expired/, 'err.session_expired'],
	[/nothing to forward/, 'err.nothing_to_forward'],
	[/four eyes/, 'err.four_eyes'],
	[/already issued/, 'err.already_issued'],
	[/awaits approval/, 'err.awaits_approval'],
	[/not delivered to your organisation/, 'err.not_delivered'],
	[/login already taken/, 'err.login_taken'],
	[/^at least \d+ characters$/, 'err.password_short'],
	[/^at most 128 characters$/, 'err.password_long'],
	[/must not contain the login/, 'err.password_login'],
	[/list of breached passwords/, 'err.password_breached'],
	[/must differ from the (?:temporary|current) password/, 'err.password_same'],
	[/1-64 characters/, 'err.login_chars'],
	[/webhooks use https|must be an https:\/\/ URL/, 'err.webhook_https'],
	[/webhooks go to public addresses only|host does not resolve|user info, escapes|no usable host|bad port in the URL|unclosed \[/, 'err.webhook_public'],
	[/too many failed attempts for this login; try again in (\d+) seconds/, 'err.login_locked', m => ({ n: m[1] })],
	[/e-mail address/, 'err.email'],
	[/only the reporting organisation files follow-up/, 'err.followup_submitter'],
	[/relays to CEPTOAR secretariats or operators|relays to its member operators/, 'err.relay_target'],
	[/only an organisation the advisory was delivered to relays it/, 'err.relay_not_holder'],
	// inquiries (問合せ), questions, tasks (issue 15)
	[/inquiries to NISC are sent by the liaison of a CI ministry/, 'err.inquiry_ministry_only'],
	[/operators and CEPTOAR secretariats ask their ministry/, 'err.question_operator_only'],
	[/NISC analysts answer inquiries/, 'err.inquiry_nisc_answers'],
	[/the inquiry is answered already/, 'err.inquiry_answered'],
	[/the question is answered or forwarded already/, 'err.question_handled'],
	[/answers or forwards the questions addressed to it/, 'err.question_ministry_only'],
	[/no ministry of your sectors received this advisory/, 'err.question_no_ministry'],
	[/^no such inquiry$/, 'err.no_such_inquiry'],
	[/^no such question$/, 'err.no_such_question'],
	[/^no such advisory$/, 'err.no_such_advisory'],
	[/the report has not reached NISC/, 'err.triage_not_at_nisc'],
	[/keep the handling state of received reports/, 'err.triage_nisc_only'],
	[/only the source \(or, anonymised, its CEPTOAR secretariat\) answers a widening request/, 'err.widen_source_only'],
	[/^already answered$/, 'err.widen_decided'],
	[/your roles do not allow this/, 'err.roles'],
	[/^unknown field$/, 'err.unknown_field'],
	[/^malformed JSON|the body must be a JSON object/, 'err.malformed'],
];

// Field-keyed messages (err.field.<code>.<field>, indices as N) come after
// the reasons above and before the code's own message.
function fieldKey(code, field) {
	if (!field)
		return null;
	const key = `err.field.${code}.${field.replace(/\.\d+(?=\.|$)/g, '.N')}`;
	return has(key) ? key : null;
}

// Every error.code the server emits (cs_err_name, src/http/server.c: checked
// against the catalogues by tools/check-errors) and the client's own 'network'.
export const CODES = ['invalid_field', 'unauthenticated', 'forbidden', 'not_found', 'method_not_allowed',
	'conflict', 'too_large', 'rate_limited', 'store_error', 'io_error', 'internal_error', 'network'];
export { PATTERNS };

// How the last translation of each error was found: 'reason' (a pattern on
// the message), 'field', or 'code' (the generic message of the code).
const how = new WeakMap();

export function errorText(err) {
	const msg = err.serverMessage || '';
	for (const [re, key, params] of PATTERNS) {
		const m = re.exec(msg);
		if (m) {
			if (typeof err === 'object')
				how.set(err, 'reason');
			return t(key, params ? params(m) : undefined);
		}
	}
	const code = CODES.includes(err.code) ? err.code : 'internal_error';
	const fk = fieldKey(code, err.field);
	if (typeof err === 'object')
		how.set(err, fk ? 'field' : 'code');
	if (fk)
		return t(fk);
	return t(`err.code.${code}`);
}

// The server's own words, for the record (English, as the API writes them):
// only when the catalogue has nothing more specific than the code's message,
// so a translated refusal is never followed by the English sentence.
export function serverDetail(err) {
	if (!err.serverMessage)
		return null;
	if (!how.has(err))
		errorText(err);
	if (how.get(err) !== 'code')
		return null;
	return h('span.server-msg', { lang: 'en' }, t('err.server_said', { msg: err.serverMessage }));
}

// A de-identification hit: show the offending characters of the field's text.
export function deidExcerpt(err, text) {
	const m = /characters (\d+)-(\d+)/.exec(err.serverMessage || '');
	if (!m || typeof text !== 'string')
		return null;
	const cps = [...text];
	const from = Number(m[1]), to = Number(m[2]);
	const before = cps.slice(Math.max(0, from - 20), from).join('');
	const hit = cps.slice(from, to).join('');
	const after = cps.slice(to, to + 20).join('');
	return h('div.deid-excerpt', h('span', t('adv.deid_excerpt')), ' …', before, h('mark', hit), after, '…');
}
