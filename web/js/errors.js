// errors.js: the server's errors in the user's language.  The server stays the
// judge; the UI only translates its answer (code + field + message) through the
// catalogues, keeping the server's own words as a detail line.
import { h } from './dom.js';
import { t } from './i18n.js';

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
	[/TLP:(\S+) is wider than the source of report (\d+)/, 'err.scope_tlp', m => ({ report: m[2] })],
	[/sector (\S+) lies beyond what the source of report (\d+)/, 'err.scope_sector', m => ({ report: m[2] })],
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
	[/at least 10 characters/, 'err.password_short'],
	[/1-64 characters/, 'err.login_chars'],
	[/webhooks use https|must be an https:\/\/ URL/, 'err.webhook_https'],
	[/webhooks go to public addresses only|host does not resolve|user info, escapes|no usable host|bad port in the URL|unclosed \[/, 'err.webhook_public'],
	[/too many failed attempts for this login; try again in (\d+) seconds/, 'err.login_locked', m => ({ n: m[1] })],
	[/e-mail address/, 'err.email'],
	[/only the reporting organisation files follow-up/, 'err.followup_submitter'],
	[/relays to CEPTOAR secretariats or operators|relays to its member operators/, 'err.relay_target'],
	[/only an organisation the advisory was delivered to relays it/, 'err.relay_not_holder'],
];

const CODES = ['invalid_field', 'unauthenticated', 'forbidden', 'not_found', 'method_not_allowed',
	'conflict', 'too_large', 'rate_limited', 'store_error', 'internal_error', 'network'];

export function errorText(err) {
	const msg = err.serverMessage || '';
	for (const [re, key, params] of PATTERNS) {
		const m = re.exec(msg);
		if (m)
			return t(key, params ? params(m) : undefined);
	}
	const code = CODES.includes(err.code) ? err.code : 'internal_error';
	return t(`err.code.${code}`);
}

// The server's own words, for the record (English, as the API writes them).
export function serverDetail(err) {
	if (!err.serverMessage)
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
