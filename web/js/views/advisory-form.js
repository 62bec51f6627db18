// views/advisory-form.js: 情報提供 — compose laid out like 図７ (NISC), with the
// server's scope/consent and de-identification answers shown at the field.
import { h, fieldId } from '../dom.js';
import { get, post, getAll } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { ADVISORY_FORM, TLPS } from '../spec.js';
import { buildEditor } from '../formedit.js';
import { pageHeader, toast, tlpChip, errorBox, replaceContent, tlpBanner, draftStore, draftNotice, draftPrompt } from '../ui.js';
import { errorText, serverDetail, deidExcerpt } from '../errors.js';
import { submitBar, submitHandler } from '../formsubmit.js';
import { filePicker, uploadAfter, fmtSize, MAX_ATTACHMENT } from './attachments.js';
import { confirmDialog, factList } from '../dialog.js';

// The review step before an advisory goes out: recipients, TLP, urgency.
export function confirmAdvisory(ctx, f, { urgent, k }) {
	const ministries = ministriesOf(ctx.orgs);
	const rows = (f.recipients || []).map(r => {
		const who = r.ministry != null ? (ctx.orgs.get(r.ministry)?.name || `#${r.ministry}`) :
		    (ministries.filter(m => m.sectors.includes(r.sector)).map(m => m.name).join('、') || t('adv.ministry_all'));
		return h('li', `${who} — ${t(`sector.${r.sector}`)}`);
	});
	const alert = f.importance === 'alert';
	return confirmDialog({
		id: 'confirm-issue', title: t(k > 1 ? 'adv.confirm_followup_title' : 'adv.confirm_title', { n: k }),
		confirmLabel: t(alert ? 'adv.confirm_issue_alert' : 'adv.confirm_issue'),
		body: h('div', h('p', t('adv.confirm_lead')), factList([
			[t('adv.confirm_to'), h('ul.plain', { id: 'confirm-to' }, rows)],
			[t('adv.confirm_tlp'), h(`span.tlp-code.tlp-${f.tlp}`, { id: 'confirm-tlp' }, `TLP:${t(`tlp.${f.tlp}.code`)}`)],
			[t('adv.meta.importance'), f.importance ? t(`afv.importance.${f.importance}`) : '—'],
			[t('adv.meta.urgent'), urgent ? t('adv.urgent_badge') : t('common.no')],
		]), alert ? h('p.hint', t('adv.confirm_four_eyes')) : null),
	});
}

const SERVER_FIELDS = ['advisory_sequence_number', 'identification_number', 'provided_at'];

function valueAt(obj, path) {
	return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function serverErrors(e, form) {
	const extra = [];
	const d = serverDetail(e);
	if (d)
		extra.push(d);
	if (e.code === 'conflict' && e.field.startsWith('form.') && /identify the source/.test(e.serverMessage)) {
		const x = deidExcerpt(e, valueAt({ form }, e.field));
		if (x)
			extra.unshift(x);
		extra.push(h('p.hint', t('adv.deid_fix')));
	}
	if (e.code === 'conflict' && /widen first/.test(e.serverMessage))
		extra.push(h('p.hint', t('adv.scope_fix')));
	return [[e.field || '', errorText(e), h('div', extra)]];
}

function ministriesOf(orgs) {
	return [...orgs.values()].filter(o => o.type === 'ci_ministry');
}

// Related reports (sources), consent, and the scope they allow.
// The sectors the selected reports' outages may reach (GET
// /reports/{id}/cascade), offered as recipient rows of the form.
function cascadeBox(editor) {
	const box = h('div.cascade-hint', { id: 'cascade-hint', 'aria-live': 'polite' });
	let seq = 0;
	const refresh = async ids => {
		const mine = ++seq;
		const risk = new Map();	/* sector -> [reason] */
		for (const id of ids) {
			let c;
			try {
				c = await get(`/reports/${id}/cascade`);
			} catch {
				continue;
			}
			for (const r of c.at_risk || [])
				risk.set(r.sector, [...(risk.get(r.sector) || []), `${r.path.map(s => t(`sector.${s}`)).join(' → ')}: ${r.basis}`]);
		}
		if (mine !== seq)
			return;
		if (!risk.size) {
			replaceContent(box);
			return;
		}
		const add = h('button.small', { type: 'button', id: 'cascade-add', on: { click: () => {
			const rows = (editor.get('recipients') || []).filter(r => r.sector || r.ministry != null);
			for (const s of risk.keys())
				if (!rows.some(r => r.sector === s))
					rows.push({ sector: s });
			editor.set('recipients', rows);
			toast(t('adv.cascade_added', { n: risk.size }));
		} } }, t('adv.cascade_add'));
		replaceContent(box, h('p', t('adv.cascade_hint', { n: risk.size })),
		    h('ul.plain.cascade-list', [...risk].map(([s, why]) => h('li', { dataset: { sector: s }, title: why.join('\n') },
			h('strong', t(`sector.${s}`)), h('span.muted', ` ${why[0]}`)))), add);
	};
	return { el: box, refresh };
}

async function sourcesPanel(ctx, editor) {
	const reports = (await getAll('/reports', null, 500)).filter(r => r.state === 'at_nisc');
	let widenings = [];
	try {
		widenings = (await get('/widening-requests?limit=500')).items;
	} catch {
		widenings = [];
	}
	const fid = fieldId('related_reports');
	const scope = h('div.scope-hint', { id: 'scope-hint', 'aria-live': 'polite' });
	const rows = reports.map(r => {
		const w = widenings.filter(x => x.report === r.id);
		return h('tr', { dataset: { id: String(r.id) } },
		    h('td', h('input', { type: 'checkbox', id: `rel-${r.id}`, value: String(r.id), class: 'rel', 'aria-label': t('adv.related_pick', { r: r.identification_number || r.id }) })),
		    h('td', h('label', { for: `rel-${r.id}` }, r.identification_number || t('report.no_r'))),
		    h('td', tlpChip(r.tlp)),
		    h('td', t(`sector.${r.sector}`)),
		    h('td.summary', r.summary || ''),
		    h('td', w.length ? w.map(x => h('span.widen', t(`widen.state.${x.state}`, { tlp: t(`tlp.${x.tlp}.code`) }))) : ''),
		    h('td', h('span.choice', h('input', { type: 'checkbox', id: `consent-${r.id}`, value: String(r.id), class: 'consent' }),
			h('label', { for: `consent-${r.id}` }, t('adv.consent')))));
	});
	const table = reports.length ? h('table.list.compact', { id: fid, tabindex: '-1', 'aria-describedby': fid + '-err' },
	    h('thead', h('tr', h('th', h('span.sr-only', t('adv.related_pick_col'))), h('th', t('list.col.ident')), h('th', t('list.col.tlp')),
		h('th', t('list.col.sector')), h('th', t('list.col.summary')), h('th', t('adv.widening')), h('th', t('adv.consent_col')))),
	    h('tbody', rows)) : h('p.muted', { id: fid }, t('adv.no_reports_at_nisc'));
	const el = h('details.panel.sources-panel', { open: true },
	    h('summary', h('h2.inline', t('adv.sources_h'))),
	    h('p.hint', t('adv.sources_note')), table, h('div.field-err', { id: fid + '-err', hidden: true }),
	    h('div.field-err', { id: fieldId('consented_sources') + '-err', hidden: true }), scope);
	const value = () => ({
		related_reports: [...el.querySelectorAll('input.rel:checked')].map(i => Number(i.value)),
		consented_sources: [...el.querySelectorAll('input.consent:checked')].map(i => Number(i.value)),
	});
	const refreshScope = () => {
		const sel = value().related_reports.map(id => reports.find(r => r.id === id));
		if (!sel.length) {
			replaceContent(scope);
			return;
		}
		const narrowest = sel.reduce((a, r) => (TLPS.indexOf(r.tlp) < TLPS.indexOf(a) ? r.tlp : a), 'clear');
		const secs = [...new Set(sel.filter(r => TLPS.indexOf(r.tlp) < TLPS.indexOf('green')).map(r => r.sector))];
		replaceContent(scope, h('p', t('adv.scope_hint', {
			tlp: t(`tlp.${narrowest}.code`),
			sectors: secs.length ? secs.map(s => t(`sector.${s}`)).join('、') : t('adv.scope_all_sectors'),
		})));
	};
	el.addEventListener('change', refreshScope);
	if (editor) {
		const cascade = cascadeBox(editor);
		el.append(cascade.el);
		el.addEventListener('change', () => cascade.refresh(value().related_reports));
	}
	return { el, value };
}

// Urgent by default while the large-scale mode is on (API.md "Operating modes").
function urgentPanel(mode) {
	const cb = h('input', { type: 'checkbox', id: fieldId('urgent'), checked: !!mode });
	return {
		el: h('section.panel', { 'aria-labelledby': 'urgent-h' }, h('h2', { id: 'urgent-h' }, t('adv.sending')),
		    h('div.meta-row', h('span.lbl', t('adv.urgent_h')), h('div.cell', h('span.choice', cb, h('label', { for: fieldId('urgent') }, t('adv.urgent'))),
			h('p.hint', t('adv.urgent_desc')), h('div.field-err', { id: fieldId('urgent') + '-err', hidden: true })))),
		value: () => cb.checked,
	};
}

function serverValues(k, ident) {
	return {
		advisory_sequence_number: t('sheet.nth', { n: k }),
		identification_number: ident || t('adv.ident_on_issue'),
	};
}

export async function advisoryNewView(ctx) {
	const me = ctx.me;
	const title = t('adv.new_title');
	if (me.org?.type !== 'nisc')
		return { el: h('div', pageHeader(title), errorBox(t('adv.only_nisc'))), title, name: 'advisory-new' };
	const u = me.user || {};
	const draft = draftStore(`advisory-new.${me.id}`);
	const saved = draft.load();
	const initial = saved || {
		recipients: [{}],
		nisc_contact: { contact_person: u.display_name || u.department || undefined, phone: u.phone || undefined, email: u.email || undefined },
	};
	const editor = buildEditor('af', ADVISORY_FORM, initial, { tlpAudience: 'advisory', ministries: ministriesOf(ctx.orgs), serverValues: serverValues(1) });
	const prompt = saved ? null : draftPrompt(draft, () => ctx.navigate(location.pathname, { replace: true }));
	editor.onChange(() => { prompt?.remove(); draft.save(editor.value()); });
	const urgent = urgentPanel(ctx.mode);
	// A drill's advisory (NISC's drills): marked and kept out of production inboxes.
	let drills = [];
	try {
		drills = (await get('/drills')).items;
	} catch {
		drills = [];
	}
	const drillSel = h('select', { id: 'adv-drill' }, h('option', { value: '' }, t('adv.drill_none')),
	    drills.map(d => h('option', { value: String(d.id) }, d.name)));
	const sources = await sourcesPanel(ctx, editor);
	const files = filePicker('adv-files', () => editor.set('has_attachment', 'yes'));
	const bar = submitBar(t('adv.submit'));
	const submit = submitHandler(editor, bar, {
		confirm: f => confirmAdvisory(ctx, f, { urgent: urgent.value(), k: 1 }),
		send: async f => {
			const s = sources.value();
			const body = { urgent: urgent.value(), related_reports: s.related_reports, consented_sources: s.consented_sources, form: f };
			if (drillSel.value)
				body.drill = Number(drillSel.value);
			if (!files.ok())
				throw new Error(t('attach.too_big_short', { max: fmtSize(MAX_ATTACHMENT) }));
			if (files.files().length)
				body.form.has_attachment = 'yes';
			const res = await post('/advisories', body);
			draft.clear();
			await uploadAfter('advisories', res.id, files.files(), 0);
			toast(t(res.state === 'issued' ? 'adv.issued_toast' : 'adv.pending_toast', { id: res.identification_number }));
			ctx.navigate(`/advisories/${res.id}`);
		},
		serverErrors,
	});
	const drillLine = drills.length ? h('div.panel', h('div.form-line', h('label', { for: 'adv-drill' }, t('adv.drill')), drillSel)) : null;
	const form = h('form.advisory-form', { novalidate: true, 'aria-labelledby': 'page-title', on: { submit } }, urgent.el, drillLine, sources.el, editor.el, files.el, bar.el);
	const el = h('div.form-page', pageHeader(title), h('p.lead', t('adv.new_lead')),
	    saved ? draftNotice(() => { draft.clear(); ctx.navigate(location.pathname, { replace: true }); }) : prompt, form);
	return { el, title, name: 'advisory-new' };
}

// The approvers' comments on a returned draft (差戻し).
export function returnsBox(adv) {
	const rs = adv.returns || [];
	if (!rs.length)
		return null;
	return h('section.panel.returns', { id: 'returns', 'aria-labelledby': 'returns-h' },
	    h('h2', { id: 'returns-h' }, t('adv.returns_h')),
	    h('ol.plain', rs.map(r => h('li', h('time', { datetime: r.at }, fmtDate(r.at)), ' ', h('span.return-comment', r.comment)))));
}

export async function advisoryFollowupView(ctx) {
	const id = ctx.params[0];
	const adv = await get(`/advisories/${id}`);
	const k = adv.version + 1;
	const title = t('adv.followup_title', { n: k });
	if (ctx.me.org?.type !== 'nisc')
		return { el: h('div', pageHeader(title), errorBox(t('adv.only_nisc'))), title, name: 'advisory-followup' };
	const initial = structuredClone(adv.form || {});
	for (const f of SERVER_FIELDS)
		delete initial[f];
	const ident = adv.identification_number ? `${String(adv.identification_number).replace(/-\d+$/, '')}-${k}` : '';
	const editor = buildEditor('af', ADVISORY_FORM, initial, { tlpAudience: 'advisory', ministries: ministriesOf(ctx.orgs), serverValues: serverValues(k, ident) });
	const bar = submitBar(t('adv.submit_followup', { n: k }));
	const form = h('form.advisory-form', { novalidate: true, on: { submit: async ev => {
		ev.preventDefault();
		const errs = editor.validate();
		if (errs.length) {
			editor.showErrors(errs);
			return;
		}
		const f = editor.value();
		if (!(await confirmAdvisory(ctx, f, { urgent: adv.urgent, k })))
			return;
		bar.btn.disabled = true;
		try {
			const res = await post(`/advisories/${id}/followups`, { form: f });
			toast(t('adv.followup_toast', { id: res.identification_number }));
			ctx.navigate(`/advisories/${id}`);
		} catch (e) {
			editor.showErrors(serverErrors(e, f));
		} finally {
			bar.btn.disabled = false;
		}
	} } }, editor.el, bar.el);
	const el = h('div.form-page', tlpBanner(adv.tlp, 'advisory'),
	    pageHeader(title, h('a.button', { href: `/advisories/${id}` }, t('common.back_to_detail'))),
	    adv.state === 'returned_for_revision' ? returnsBox(adv) : null,
	    h('p.lead', t(adv.issued_at ? 'adv.followup_lead' : 'adv.resubmit_lead', { issued: fmtDate(adv.issued_at) })), form);
	return { el, title, name: 'advisory-followup' };
}
