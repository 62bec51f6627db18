// views/attachments.js: attachments (別紙) and samples on request (検体)
// (issue 15 items 1-2).  The list on a report or an advisory — name, size,
// version, SHA-256 for the recipient to verify, download — with an upload
// for who may write the item; the file picker of the report form, the
// follow-up and the advisory form (choosing a file ticks 別紙有無 = 有);
// the secretariat's forward choice (keep or drop each of the source's
// files); NISC's 検体 request and the answer of the source (or, for an
// anonymised report, its CEPTOAR secretariat).  The server decides who
// sees and does what; these only mirror it to show the right buttons.
import { h } from '../dom.js';
import { get, post, upload } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { toast } from '../ui.js';
import { openDialog } from '../dialog.js';
import { errorText } from '../errors.js';

const has = (me, ...roles) => (me.roles || []).some(r => roles.includes(r));
export const MAX_ATTACHMENT = 20 * 1024 * 1024;

export function fmtSize(n) {
	if (n < 1024)
		return t('attach.bytes', { n });
	if (n < 1024 * 1024)
		return t('attach.kib', { n: (n / 1024).toFixed(1) });
	return t('attach.mib', { n: (n / 1024 / 1024).toFixed(1) });
}

// Mirrors policy_report_may_attach (src/core/policy.c).
export function mayAttachReport(me, rep) {
	return has(me, 'member', 'poc', 'org_admin') && (rep.relation === 'submitter' ||
	    (rep.relation === 'ceptoar' && rep.anonymised));
}

export function mayAttachAdvisory(me) {
	return me.org?.type === 'nisc' && has(me, 'analyst', 'approver');
}

// Uploads files one by one to /reports/{id}/attachments (version k) or
// /advisories/{id}/attachments; the answers in order.
export async function uploadFiles(kind, id, files, version) {
	const out = [];
	for (const f of files) {
		const q = `?name=${encodeURIComponent(f.name)}${version ? `&version=${version}` : ''}`;
		out.push(await upload(`/${kind}/${id}/attachments${q}`, f));
	}
	return out;
}

// The file picker of a form: files are checked for size here (the server
// checks again) and choosing one sets the form's 別紙有無 to 有.
export function filePicker(id, onChosen) {
	const input = h('input', { type: 'file', id, multiple: true });
	const list = h('ul.plain.attach-chosen', { id: `${id}-list` });
	const err = h('div.field-err', { role: 'alert', hidden: true, id: `${id}-err` });
	input.addEventListener('change', () => {
		const big = [...input.files].filter(f => f.size > MAX_ATTACHMENT);
		err.hidden = !big.length;
		err.textContent = big.length ? t('attach.too_big', { name: big[0].name, max: fmtSize(MAX_ATTACHMENT) }) : '';
		list.replaceChildren(...[...input.files].map(f => h('li', `${f.name} (${fmtSize(f.size)})`)));
		if (input.files.length)
			onChosen?.();
	});
	const el = h('section.panel.attach-pick', { 'aria-labelledby': `${id}-h` },
	    h('h2', { id: `${id}-h` }, t('attach.form_h')),
	    h('p.hint', t('attach.form_hint', { max: fmtSize(MAX_ATTACHMENT) })),
	    h('div.form-line', h('label', { for: id }, t('attach.choose')), input), list, err);
	return {
		el,
		files: () => [...input.files],
		ok: () => ![...input.files].some(f => f.size > MAX_ATTACHMENT),
	};
}

function row(a, kind) {
	return h('li.attachment', { dataset: { attachment: String(a.id) } },
	    h('div.attachment-head',
		h('a.attachment-name', { href: `/api/v1/attachments/${a.id}`, download: a.name, id: `attachment-dl-${a.id}` }, a.name),
		h('span.muted', ` ${fmtSize(a.size)}`),
		kind === 'reports' ? h('span.chip', t('attach.version', { n: a.version })) : null,
		a.sealed ? h('span.chip.attach-sealed', { title: t('attach.sealed_hint') }, t('attach.sealed')) : null,
		a.copy_of ? h('span.chip', t('attach.forwarded')) : null,
		a.sample ? h('span.chip.attach-sample', t('attach.sample')) : null),
	    h('div.attachment-sha', h('span.lbl', 'SHA-256 '), h('code.sha256', a.sha256)),
	    h('time.muted', { datetime: a.created_at }, fmtDate(a.created_at)));
}

// The attachment panel of a report (kind 'reports') or an advisory.
export function attachmentsPanel({ me, item, kind, reload }) {
	const list = item.attachments || [];
	const may = kind === 'reports' ? mayAttachReport(me, item) : mayAttachAdvisory(me);
	const latest = kind === 'reports' ? Math.max(0, ...(item.versions || []).map(v => v.version)) : 0;
	return h('section.panel', { id: 'attachments', 'aria-labelledby': 'att-h' },
	    h('div.panel-head', h('h2', { id: 'att-h' }, t('attach.h')),
		may ? h('button', { type: 'button', id: 'act-attach', on: { click: () => attachDialog(kind, item, latest, reload) } }, t('attach.add')) : null),
	    list.length ? h('ul.plain.attachments', list.map(a => row(a, kind)))
		: h('p.muted', { id: 'attachments-none' }, t('attach.none')),
	    h('p.hint', t('attach.verify_hint')));
}

function attachDialog(kind, item, latest, reload) {
	const pick = filePicker('attach-file');
	const ver = kind === 'reports' && latest > 1 ? h('select', { id: 'attach-version' },
	    Array.from({ length: latest }, (_, i) => latest - i).map(n => h('option', { value: String(n) }, t('sheet.nth', { n })))) : null;
	openDialog({
		id: 'attach-dlg', title: t('attach.add'),
		body: [pick.el, ver ? h('div.form-line', h('label', { for: 'attach-version' }, t('attach.to_version')), ver) : null,
			kind === 'reports' && item.anonymised && item.relation === 'submitter' ? h('p.hint', t('attach.anon_hint')) : null],
		confirmLabel: t('attach.upload'),
		onConfirm: async () => {
			if (!pick.files().length)
				throw new Error(t('attach.none_chosen'));
			if (!pick.ok())
				throw new Error(t('attach.too_big_short', { max: fmtSize(MAX_ATTACHMENT) }));
			const done = await uploadFiles(kind, item.id, pick.files(), ver ? Number(ver.value) : 0);
			toast(t('attach.uploaded', { n: done.length }));
			reload();
		},
	});
}

// The secretariat's forward: which of the source's sealed files go on.
export function forwardChooser(rep) {
	const copied = new Set((rep.attachments || []).filter(a => a.copy_of).map(a => a.copy_of));
	const src = (rep.attachments || []).filter(a => a.sealed && a.hop === 'source' && !copied.has(a.id));
	if (!src.length)
		return { el: null, ids: () => [] };
	const boxes = src.map(a => h('input', { type: 'checkbox', id: `fwd-att-${a.id}`, value: String(a.id) }));
	const el = h('section.fwd-attachments', { id: 'forward-attachments', 'aria-labelledby': 'fwd-att-h' },
	    h('h3', { id: 'fwd-att-h' }, t('attach.forward_h')),
	    h('p.hint', t('attach.forward_hint')),
	    h('ul.plain', src.map((a, i) => h('li.choice', boxes[i],
		h('label', { for: `fwd-att-${a.id}` }, `${a.name} (${fmtSize(a.size)}, ${t('attach.version', { n: a.version })})`)))));
	return { el, ids: () => boxes.filter(b => b.checked).map(b => Number(b.value)) };
}

// ---- samples (検体) --------------------------------------------------------

// The requests of this report the caller sees (NISC, the answerer).
export async function sampleRequestsOf(rep) {
	if (!['nisc', 'ministry', 'submitter', 'ceptoar'].includes(rep.relation))
		return [];
	try {
		return (await get('/sample-requests?limit=500')).items.filter(s => s.report === rep.id);
	} catch {
		return [];
	}
}

function mayAnswer(me, rep) {
	return has(me, 'member', 'poc', 'org_admin') && (rep.anonymised ? rep.relation === 'ceptoar' : rep.relation === 'submitter');
}

function sampleRow(s, ctx) {
	const { me, rep } = ctx;
	const open = s.state === 'open';
	return h('li.sample', { dataset: { sample: String(s.id), state: s.state } },
	    h('div.sample-head', h('strong', s.what), ' ', h(`span.chip.sample-${s.state}`, t(`sample.state.${s.state}`)),
		h('time.muted', { datetime: s.requested_at }, ` ${fmtDate(s.requested_at)}`)),
	    h('p.sample-reason', s.reason),
	    s.state === 'answered' ? h('p', t('sample.answered_with'), ' ',
		h('a', { href: `/api/v1/attachments/${s.attachment}`, id: `sample-att-${s.id}` }, (rep.attachments || []).find(a => a.id === s.attachment)?.name || `#${s.attachment}`)) : null,
	    s.state === 'declined' ? h('p.sample-decline', t('sample.declined_because', { reason: s.decline })) : null,
	    open && mayAnswer(me, rep) ? h('div.actions',
		h('button.primary.small', { type: 'button', id: `sample-answer-${s.id}`, on: { click: () => answerDialog(s, ctx) } }, t('sample.answer')),
		h('button.small', { type: 'button', id: `sample-decline-${s.id}`, on: { click: () => declineDialog(s, ctx) } }, t('sample.decline'))) : null);
}

// The 検体 panel of a report: NISC requests; the answerer answers.
export function samplePanel(ctx) {
	const { me, rep, samples } = ctx;
	const nisc = rep.relation === 'nisc' && has(me, 'analyst', 'approver');
	if (!nisc && !samples.length)
		return null;
	return h('section.panel', { id: 'samples', 'aria-labelledby': 'sample-h' },
	    h('div.panel-head', h('h2', { id: 'sample-h' }, t('sample.h')),
		nisc ? h('button', { type: 'button', id: 'act-sample-request', on: { click: () => requestDialog(ctx) } }, t('sample.request')) : null),
	    samples.length ? h('ul.plain.samples', samples.map(s => sampleRow(s, ctx))) : h('p.muted', t('sample.none')),
	    h('p.hint', t('sample.note')));
}

function requestDialog({ rep, reload }) {
	const what = h('input', { type: 'text', id: 'sample-what', maxlength: 256, 'aria-required': 'true' });
	const reason = h('textarea', { id: 'sample-reason', rows: 4, maxlength: 8000, 'aria-required': 'true' });
	openDialog({
		id: 'sample-dlg', title: t('sample.request'),
		body: [h('p.hint', t('sample.request_note', { r: rep.identification_number || '' })),
			h('div.form-line', h('label', { for: 'sample-what' }, t('sample.what')), what),
			h('div.form-line', h('label', { for: 'sample-reason' }, t('sample.reason')), reason)],
		confirmLabel: t('sample.send'),
		onConfirm: async () => {
			if (!what.value.trim() || !reason.value.trim())
				throw new Error(t('sample.fill_all'));
			await post(`/reports/${rep.id}/sample-requests`, { what: what.value.trim(), reason: reason.value.trim() });
			toast(t('sample.sent'));
			reload();
		},
	});
}

// Answer with one of the caller's own files on the report, or a new upload.
function answerDialog(s, { rep, reload }) {
	const own = (rep.attachments || []).filter(a => !a.sealed && (rep.anonymised ? a.hop === 'ceptoar' && !a.copy_of : a.hop === 'source') && !a.sample);
	const sel = h('select', { id: 'sample-answer-att' }, h('option', { value: '' }, t('sample.new_upload')),
	    own.map(a => h('option', { value: String(a.id) }, `${a.name} (${fmtSize(a.size)})`)));
	const pick = filePicker('sample-file');
	openDialog({
		id: 'sample-answer-dlg', title: t('sample.answer'),
		body: [h('p', h('strong', s.what)), h('p.sample-reason', s.reason),
			h('div.form-line', h('label', { for: 'sample-answer-att' }, t('sample.choose')), sel), pick.el,
			h('p.hint', t(rep.anonymised ? 'sample.answer_hint_cep' : 'sample.answer_hint'))],
		confirmLabel: t('sample.submit'),
		onConfirm: async () => {
			let id = Number(sel.value || 0);
			if (!id) {
				const f = pick.files();
				if (f.length !== 1)
					throw new Error(t('sample.one_file'));
				const latest = Math.max(...rep.versions.map(v => v.version));
				id = (await uploadFiles('reports', rep.id, f, latest))[0].id;
			}
			await post(`/sample-requests/${s.id}/answer`, { attachment: id });
			toast(t('sample.answered'));
			reload();
		},
	});
}

function declineDialog(s, { reload }) {
	const reason = h('textarea', { id: 'sample-decline-reason', rows: 3, maxlength: 8000, 'aria-required': 'true' });
	openDialog({
		id: 'sample-decline-dlg', title: t('sample.decline'),
		body: [h('p', h('strong', s.what)),
			h('div.form-line', h('label', { for: 'sample-decline-reason' }, t('sample.decline_reason')), reason)],
		confirmLabel: t('sample.decline'),
		onConfirm: async () => {
			if (!reason.value.trim())
				throw new Error(t('sample.fill_reason'));
			await post(`/sample-requests/${s.id}/answer`, { decline: reason.value.trim() });
			toast(t('sample.declined'));
			reload();
		},
	});
}

// After a form's submit: the chosen files, or a toast naming the failure.
export async function uploadAfter(kind, id, files, version) {
	if (!files.length)
		return;
	try {
		await uploadFiles(kind, id, files, version);
		toast(t('attach.uploaded', { n: files.length }));
	} catch (e) {
		toast(t('attach.upload_failed', { why: errorText(e) }), 'error');
	}
}
