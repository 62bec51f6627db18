// spec.js: the two 様式 as field trees, in the forms' own order (手引書:
// 「欄外も含め変更しないでください」).  Field ids are those of forms.json
// and of src/core/form.c, option ids come from vocab.js (generated from
// data/ by tools/gen-vocab, as is C's vocab.h); labels come from the catalogues under
// rf.<path> / af.<path> (checked against data/forms.json by tools/check-i18n).

import { vocabIds, VOCAB, SML_FACILITIES } from './vocab.js';
import { currentLang } from './i18n.js';

// Option ids: the generated vocabulary (web/js/vocab.js, from data/).
export const TLPS = vocabIds('tlp');	// narrow -> wide
export const IMPORTANCE = vocabIds('importance');
export const SECTORS = vocabIds('sector');
export const EVENTS = vocabIds('event_type');
export const CAUSES = vocabIds('cause_type');
const YESNO = vocabIds('yes_no');
export const ROUTES = vocabIds('route');
export const ROLES = vocabIds('role');
// The types an organisation may be given (platform is the deployment's own).
export const ORG_TYPES = vocabIds('org_type').filter((x) => x !== 'platform');

export const MAX_TEXT = 8000;
export const MAX_STRING = 256;
export const MAX_ROWS = 200;

// The contact block that ends 報告者 (reporter) and is 連絡先 (nisc_contact).
const CONTACT = ['contact_person', 'phone', 'fax', 'email'].map((id) => ({ id, type: 'string' }));

// type: enum (radio), select, multi, text, string, datetime, group, table,
//       server (set by cishared; shown read-only), fixed (printed text),
//       service (a CI service of the form's sector), count (integer >= 0),
//       bool (a checkbox)
// req: marked * on the form and required from the client
// The head both 様式 open with: importance, direction, the n-th report or
// advisory, its identification number and its date.
function head(sequence, at) {
	return [
		{ id: 'importance', type: 'enum', values: IMPORTANCE, inline: true },
		{ id: 'direction', type: 'fixed' },
		{ id: sequence, type: 'server', req: true },
		{ id: 'identification_number', type: 'server', req: true },
		{ id: at, type: 'datetime', req: true, serverDefault: true },
	];
}

export const REPORT_FORM = [
	...head('report_sequence_number', 'reported_at'),
	// 情報連絡元: the organisation is the server's; the contact details are
	// the sender's (prefilled from the directory, editable).
	{ id: 'reporter', type: 'group', req: true, sub: [
		{ id: 'ministry_name', type: 'server' },
		{ id: 'department', type: 'string' },
		...CONTACT,
	] },
	{ id: 'tlp', type: 'tlp', values: TLPS, req: true },
	{ id: 'tlp_special_notes', type: 'text', rows: 2 },
	{ id: 'event_type', type: 'enum', values: EVENTS, columns: 2 },
	{ id: 'cause_types', type: 'multi', values: CAUSES, columns: 3 },
	{ id: 'has_attachment', type: 'enum', values: YESNO, req: true, inline: true },
	{ id: 'sector', type: 'select', values: SECTORS, req: true },
	{ id: 'affected_operator_name', type: 'string', max: MAX_TEXT },
	{ id: 'overview', type: 'group', sub: [
		{ id: 'discovered_at', type: 'datetime' },
		{ id: 'occurred_at', type: 'datetime' },
		{ id: 'occurred_at_remark', type: 'string' },
		{ id: 'affected_system_or_contractor', type: 'text', rows: 2 },
		{ id: 'event_summary', type: 'text', rows: 4 },
	] },
	{ id: 'impact', type: 'group', sub: [
		{ id: 'system_operation_status', type: 'enum', values: vocabIds('op_status'), inline: true },
		{ id: 'service_level_deviation', type: 'enum', values: YESNO, inline: true },
		// cishare's structured impact (API.md "Analysis"): the service and
		// the figures its service-maintenance level is judged on.
		{ id: 'service', type: 'service' },
		{ id: 'affected_users', type: 'count' },
		{ id: 'households', type: 'count' },
		{ id: 'disrupted_supply_kw', type: 'count' },
		{ id: 'facility', type: 'string', suggest: 'facility' },
		{ id: 'started_at', type: 'datetime' },
		{ id: 'ended_at', type: 'datetime' },
		{ id: 'ongoing', type: 'bool' },
		{ id: 'spillover_possibility', type: 'enum', values: YESNO, inline: true },
		{ id: 'external_response', type: 'group', sub: [
			{ id: 'press_release', type: 'enum', values: vocabIds('press_release'), inline: true },
			{ id: 'press_release_detail', type: 'text', rows: 1 },
			{ id: 'ppc_notification', type: 'enum', values: vocabIds('ppc_notification'), inline: true },
			{ id: 'ppc_notification_detail', type: 'text', rows: 1 },
			{ id: 'other_contacts_besides_nisc', type: 'text', rows: 2 },
		] },
		{ id: 'supplementary_info', type: 'text', rows: 2 },
	] },
	{ id: 'timeline', type: 'table', sub: [
		{ id: 'at', type: 'string', width: 'narrow' },
		{ id: 'description', type: 'text', rows: 3 },
	] },
	{ id: 'next_steps', type: 'enum', values: vocabIds('next_steps'), columns: 2 },
	{ id: 'other_lessons_learned', type: 'text', rows: 3 },
];

export const ADVISORY_FORM = [
	...head('advisory_sequence_number', 'provided_at'),
	{ id: 'recipients', type: 'table', req: true, minRows: 1, sub: [
		{ id: 'ministry', type: 'ministry' },
		{ id: 'sector', type: 'select', values: SECTORS, req: true },
	] },
	{ id: 'tlp', type: 'tlp', values: TLPS, req: true },
	{ id: 'tlp_special_notes', type: 'text', rows: 2 },
	{ id: 'nisc_contact', type: 'group', fixed: true, sub: CONTACT },
	{ id: 'has_attachment', type: 'enum', values: YESNO, req: true, inline: true },
	{ id: 'threat_content', type: 'group', sub: [
		{ id: 'summary', type: 'text', rows: 4 },
		{ id: 'target', type: 'text', rows: 3 },
	] },
	{ id: 'countermeasures', type: 'text', rows: 4 },
	{ id: 'other', type: 'text', rows: 2 },
];

// The CI services of a sector, as [id, label in the UI's language].
export function servicesOf(sector) {
	const en = currentLang() === 'en';
	return VOCAB.service.filter(s => s.parent === sector).map(s => [s.id, en ? s.en : s.ja]);
}

// A service's label in the UI's language ('' for none).
export function serviceName(id) {
	const s = VOCAB.service.find(x => x.id === id);
	return s ? (currentLang() === 'en' ? s.en : s.ja) : (id || '');
}

// The facility words a service's numeric level depends on (form.impact.facility).
export function facilitiesOf(service) {
	return SML_FACILITIES[service] || [];
}

// Catalogue key of a field label / option label.
export function labelKey(kind, path) {
	return `${kind}.${path}`;
}

export function valueKey(kind, path, value) {
	return `${kind}v.${path}.${value}`;
}

// Flatten a form into [path, field, value] for leaves (tables as rows).
export function leaves(fields, form, prefix = '') {
	const out = [];
	for (const f of fields) {
		const path = prefix ? `${prefix}.${f.id}` : f.id;
		const v = form ? form[f.id] : undefined;
		if (f.type === 'fixed')
			continue;
		if (f.sub && f.type !== 'table') {
			out.push(...leaves(f.sub, v || {}, path));
		} else {
			out.push([path, f, v]);
		}
	}
	return out;
}

export function tlpWider(a, b) {
	return TLPS.indexOf(a) > TLPS.indexOf(b);
}
