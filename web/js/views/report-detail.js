// views/report-detail.js: one 情報連絡 series — TLP banner, R-number, the
// route (CEPTOAR → ministry → NISC) with times, the versions as a timeline
// with what changed, and the share / forward / 第k報 actions where allowed.
import { h } from '../dom.js';
import { get, post } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { REPORT_FORM, TLPS, SECTORS, labelKey, serviceName } from '../spec.js';
import { tlpBanner, stateChip, pageHeader, toast, sheetView, diffForms, diffView, orgName, impBadge, replaceContent } from '../ui.js';
import { openDialog, orgPickerDialog } from '../dialog.js';
import { reportActions, shareCandidates } from '../hints.js';
import { disclosurePanel } from './report-disclosure.js';
import { correlationsPanel } from './correlations.js';
import { attachmentsPanel, samplePanel, sampleRequestsOf, forwardChooser } from './attachments.js';
import { holdButton, eraseSourceButton, retentionFacts } from './retention.js';

const STEPS = {
	via_ceptoar: ['source', 'ceptoar_secretariat', 'ci_ministry', 'nisc'],
	direct: ['source', 'ci_ministry', 'nisc'],
	urgent: ['source', 'ci_ministry+nisc'],
};
const STATE_STEP = { at_ceptoar: 'ceptoar_secretariat', at_ministry: 'ci_ministry', at_nisc: 'nisc' };

function routeProgress(rep, orgs) {
	const steps = STEPS[rep.route] || STEPS.direct;
	const joined = type => rep.path.filter(p => p.type === type);
	let cur = STATE_STEP[rep.state];
	if (rep.route === 'urgent')
		cur = 'ci_ministry+nisc';
	const curIdx = steps.indexOf(cur);
	return h('ol.route', { 'aria-label': t('report.route_progress') }, steps.map((s, i) => {
		let who = [], at = '';
		if (s === 'source') {
			who = [rep.anonymised && rep.relation !== 'submitter' && rep.relation !== 'ceptoar' ? t('report.anonymised_source')
			    : (rep.submitter?.org_name || (rep.submitter?.org ? orgName(orgs, rep.submitter.org) : t('step.source_org')))];
			at = rep.created_at;
		} else {
			const types = s.split('+');
			const ps = types.flatMap(joined);
			who = ps.map(p => orgName(orgs, p.org));
			at = ps.length ? ps.map(p => p.joined_at).sort()[0] : '';
		}
		const done = i <= curIdx;
		return h(`li.step${done ? '.done' : ''}${i === curIdx ? '.current' : ''}`, { 'aria-current': i === curIdx ? 'step' : null, dataset: { step: s } },
		    h('span.step-name', t(`step.${s}`)),
		    h('span.step-who', who.join('、') || '—'),
		    h('span.step-at', at && done ? fmtDate(at) : t('step.pending')));
	}));
}

// The newest version against its service-maintenance level (別紙２): the
// server's evaluation, the rule and its citation, and what the reporter ticked.
function serviceLevelPanel(v) {
	const sl = v?.service_level;
	if (!sl)
		return null;
	const svc = v.form?.impact?.service;
	return h('section.panel.sml', { 'aria-labelledby': 'sml-h', id: 'service-level', dataset: { evaluated: sl.evaluated } },
	    h('h2', { id: 'sml-h' }, t('sml.title')),
	    h('p', h(`span.chip.sml-${sl.evaluated}`, t(`sml.eval.${sl.evaluated}`)), svc ? h('span.muted', ` ${serviceName(svc)}`) : null),
	    sl.disagrees ? h('p.sml-disagree', { role: 'note' }, t('sml.disagrees', { reported: t(`common.${sl.reported}`) })) : null,
	    sl.text_ja ? h('blockquote.sml-text', sl.text_ja) : null,
	    h('dl.sml-facts',
		h('div', h('dt', t('sml.reported')), h('dd', sl.reported ? t(`common.${sl.reported}`) : t('sml.not_ticked'))),
		sl.rule ? h('div', h('dt', t('sml.rule')), h('dd', h('code', sl.rule))) : null,
		sl.citation ? h('div', h('dt', t('sml.citation')), h('dd', sl.citation)) : null));
}

// NISC's 影響予測: the sectors this report's outage may reach, with the
// chain of dependencies and the reason for each (GET /reports/{id}/cascade).
function cascadePanel(rep) {
	const body = h('div', { id: 'cascade-body' }, h('p.muted', t('common.loading')));
	const el = h('section.panel.cascade', { 'aria-labelledby': 'cascade-h', id: 'cascade' },
	    h('h2', { id: 'cascade-h' }, t('cascade.title')), body);
	get(`/reports/${rep.id}/cascade`).then(c => {
		if (!c.outage) {
			replaceContent(body, h('p.muted', t('cascade.no_outage')));
			return;
		}
		replaceContent(body, c.at_risk.length
		    ? h('ul.plain', c.at_risk.map(r => h('li', { dataset: { sector: r.sector } },
			h('strong', t(`sector.${r.sector}`)),
			h('div.small', r.path.map(s => t(`sector.${s}`)).join(' → ')),
			h('div.small.muted', r.basis, r.citation ? ` （${r.citation}）` : ''))))
		    : h('p.muted', t('cascade.none')));
	}).catch(() => replaceContent(body, h('p.muted', t('cascade.unavailable'))));
	return el;
}

function versionTimeline(rep, orgs) {
	const ol = h('ol.timeline', { 'aria-label': t('report.versions') });
	rep.versions.forEach((v, i) => {
		const prev = i > 0 ? rep.versions[i - 1] : null;
		const changes = prev ? diffForms('rf', REPORT_FORM, prev.form, v.form, orgs) : null;
		ol.append(h('li.version', { dataset: { version: String(v.version) } },
		    h('div.version-head',
			h('strong', t('sheet.nth', { n: v.version })),
			h('span.ident', v.identification_number || t('report.no_r')),
			stateChip(v.state),
			impBadge(v.form?.importance),
			h('a.small', { href: `/reports/${rep.id}/print?v=${v.version}` }, t('common.print'))),
		    h('ul.hops', v.hops.map(hp => h('li', h('span.hop', t(`hop.${hp.hop}`)), ' ',
			h('span.hop-org', hp.by_org ? orgName(orgs, hp.by_org) : (hp.hop === 'source' && rep.anonymised ? t('report.anonymised_source') : '')), ' ',
			h('time', { datetime: hp.at }, fmtDate(hp.at))))),
		    v.form?.overview?.event_summary ? h('p.version-summary', v.form.overview.event_summary) : null,
		    changes ? h('details.version-diff', { open: i === rep.versions.length - 1 },
			h('summary', t('report.changes_from', { n: prev.version, count: changes.length })), diffView(changes)) : null));
	});
	return ol;
}

export async function reportDetailView(ctx) {
	const id = ctx.params[0];
	const rep = await get(`/reports/${id}`);
	const { me, orgs } = ctx;
	const acts = reportActions(me, rep);
	const latest = rep.versions[rep.versions.length - 1];
	const title = rep.identification_number ? t('report.title_r', { r: rep.identification_number }) : t('report.title_pending');
	const reload = () => ctx.navigate(location.pathname, { replace: true });
	const samples = await sampleRequestsOf(rep);

	const actions = [];
	if (acts.followup)
		actions.push(h('a.button.primary', { href: `/reports/${id}/followup`, id: 'act-followup' }, t('report.make_followup', { n: rep.version_count + 1 })));
	if (acts.forward)
		actions.push(h('button.primary', { type: 'button', id: 'act-forward', on: { click: () => forwardDialog(rep, reload) } }, t('report.forward')));
	if (acts.share)
		actions.push(h('button', { type: 'button', id: 'act-share', on: { click: () => orgPickerDialog({
			id: 'share-dlg', pickerId: 'share-to', candidates: shareCandidates(me, rep, orgs),
			note: t('report.share_note', { tlp: t(`tlp.${rep.tlp}.code`) }), title: t('report.share_title'), confirmLabel: t('report.share'),
			send: async to => {
				await post(`/reports/${id}/share`, { to });
				toast(t('report.shared', { n: to.length }));
				reload();
			},
		}) } }, t('report.share')));
	if (acts.widen)
		actions.push(h('button', { type: 'button', id: 'act-widen', on: { click: () => widenDialog(rep) } }, t('widen.request')));
	actions.push(holdButton('report', rep, me, reload), eraseSourceButton(rep, me, reload));
	actions.push(h('a.button', { href: `/reports/${id}/print`, id: 'act-print' }, t('common.print_view')));
	actions.push(h('a.button', { href: `/api/v1/reports/${id}/stix`, download: `report-${id}.stix.json`, id: 'act-stix' }, t('common.download_stix')));

	const shared = (rep.shared_with || []).map(s => h('li', orgName(orgs, s.org), h('span.muted', ` ${fmtDate(s.at)}`)));
	const el = h('div.detail-page',
	    tlpBanner(rep.tlp, 'report'),
	    rep.drill != null ? h('div.drill-banner', { role: 'note', id: 'drill-banner' }, t('drill.banner')) : null,
	    pageHeader(title, ...actions),
	    h('dl.meta',
		h('div', h('dt', t('report.meta.ident')), h('dd.rnum', { id: 'r-number' }, rep.identification_number || t('report.ident_pending'))),
		h('div', h('dt', t('report.meta.state')), h('dd', stateChip(rep.state))),
		h('div', h('dt', t('report.meta.route')), h('dd', t(`route.${rep.route}`))),
		h('div', h('dt', t('report.meta.sector')), h('dd', t(`sector.${rep.sector}`))),
		h('div', h('dt', t('report.meta.versions')), h('dd', t('report.meta.versions_n', { n: rep.version_count }))),
		h('div', h('dt', t('report.meta.legal_duty')), h('dd', rep.legal_duty ? t('common.yes') : t('common.no'))),
		h('div', h('dt', t('report.meta.anonymised')), h('dd', rep.anonymised ? t('report.anonymised_yes') : t('common.no'))),
		h('div', h('dt', t('report.meta.updated')), h('dd', fmtDate(rep.updated_at))),
		...retentionFacts(rep)),
	    h('section.panel', { 'aria-labelledby': 'route-h' }, h('h2', { id: 'route-h' }, t('report.route_h')), routeProgress(rep, orgs)),
	    h('div.split',
		h('section.panel.sheet-panel', { 'aria-labelledby': 'sheet-h' },
		    h('h2', { id: 'sheet-h' }, t('report.latest_sheet', { n: latest ? latest.version : '' })),
		    latest ? sheetView('rf', REPORT_FORM, latest.form, { orgs }) : h('p.muted', t('report.no_visible_version'))),
		h('aside',
		    serviceLevelPanel(latest),
		    rep.relation === 'nisc' ? cascadePanel(rep) : null,
		    correlationsPanel(rep),
		    h('section.panel', { 'aria-labelledby': 'ver-h' }, h('h2', { id: 'ver-h' }, t('report.versions')), versionTimeline(rep, orgs)),
		    shared.length ? h('section.panel', { 'aria-labelledby': 'sh-h' }, h('h2', { id: 'sh-h' }, t('report.shared_with')), h('ul.plain', shared)) : null,
		    attachmentsPanel({ me, item: rep, kind: 'reports', reload }),
		    samplePanel({ me, rep, samples, reload }),
		    rep.forward_comments?.length ? h('section.panel', { 'aria-labelledby': 'fc-h', id: 'forward-comments' }, h('h2', { id: 'fc-h' }, t('report.forward_comments')),
			h('ul.plain', rep.forward_comments.map(c => h('li', h('strong', orgName(orgs, c.org)), ' ', h('time', { datetime: c.at }, fmtDate(c.at)), h('p', c.comment))))) : null,
		    disclosurePanel({ me, rep, orgs, reload }))));
	return { el, title, name: 'report-detail' };
}

// The free-text fields of the report form with a value, as [path, label key, text].
function textFields(fields, form, path = '', lpath = '') {
	const out = [];
	for (const f of fields) {
		const v = form?.[f.id];
		const p = path ? `${path}.${f.id}` : f.id, lp = lpath ? `${lpath}.${f.id}` : f.id;
		if (v == null)
			continue;
		if (f.type === 'group' && f.sub)
			out.push(...textFields(f.sub, v, p, lp));
		else if (f.type === 'table' && Array.isArray(v))
			v.forEach((row, i) => out.push(...textFields(f.sub, row, `${p}.${i}`, lp)));
		else if ((f.type === 'text' || f.type === 'string') && typeof v === 'string' && v !== '')
			out.push([p, lp, v]);
	}
	return out;
}

// text with the code point spans [start, end) marked.
function marked(text, spans) {
	const cps = Array.from(text), out = [];
	let at = 0;
	for (const s of [...spans].sort((a, b) => a.start - b.start)) {
		if (s.start < at)
			continue;
		out.push(cps.slice(at, s.start).join(''), h('mark.redaction', { title: t('report.redacted_here') }, cps.slice(s.start, s.end).join('')));
		at = s.end;
	}
	out.push(cps.slice(at).join(''));
	return out;
}

// Set obj's dotted path (numeric parts index arrays) to v.
function setPath(obj, path, v) {
	const parts = path.split('.');
	let o = obj;
	for (const k of parts.slice(0, -1))
		o = o[k];
	o[parts[parts.length - 1]] = v;
}

// The forward: a CEPTOAR secretariat first sees what the ministry would
// receive (a dry run: the server keeps nothing), each redaction marked and
// every text editable; a small anonymity set asks for a confirmation.
async function forwardDialog(rep, reload) {
	const ceptoar = rep.relation === 'ceptoar';
	const pending = rep.versions.filter(v => v.state === (ceptoar ? 'at_ceptoar' : 'at_ministry')).map(v => v.version);
	const body = [h('p', t(ceptoar ? 'report.forward_body_ceptoar' : 'report.forward_body_ministry', { versions: pending.map(n => t('sheet.nth', { n })).join('、') }))];
	const edits = [];
	let confirmBox = null, preview = null;
	if (ceptoar) {
		preview = await post(`/reports/${rep.id}/forward?dry_run=1`, {});
		const as = preview.anonymity_set;
		if (as?.warning) {
			confirmBox = h('input', { type: 'checkbox', id: 'forward-anon-confirm' });
			body.push(h('div.anon-warning', { role: 'alert', id: 'forward-anon-warning' },
			    h('p', t('report.anon_set_warning', { n: as.members, min: as.minimum })),
			    h('span.choice', confirmBox, h('label', { for: 'forward-anon-confirm' }, t('report.anon_set_confirm')))));
		}
		const marks = preview.redactions || [];
		const rows = textFields(REPORT_FORM, preview.form).map(([path, lpath, text]) => {
			const spans = marks.filter(m => m.field === `form.${path}`);
			const ta = h('textarea', { rows: Math.min(6, 1 + Math.ceil(text.length / 60)), hidden: true, dataset: { path }, 'aria-label': t(labelKey('rf', lpath)) }, text);
			const view = h('div.fwd-text', marked(text, spans));
			const edit = h('button.small', { type: 'button', on: { click: () => { ta.hidden = false; edit.hidden = true; ta.focus(); } } }, t('report.forward_edit'));
			edits.push({ path, text, ta });
			return h('div.fwd-row', { dataset: { path, redactions: String(spans.length) } },
			    h('div.fwd-lbl', t(labelKey('rf', lpath)), spans.length ? h('span.fwd-count', t('report.redactions_n', { n: spans.length })) : null),
			    view, ta, edit);
		});
		body.push(h('section.fwd-preview', { id: 'forward-preview', 'aria-labelledby': 'forward-preview-h' },
		    h('h3', { id: 'forward-preview-h' }, t('report.forward_preview_h')),
		    h('p.hint', t('report.forward_preview_hint', { n: marks.length })), ...rows));
	}
	const keep = ceptoar ? forwardChooser(rep) : { el: null, ids: () => [] };
	if (keep.el)
		body.push(keep.el);
	const comment = h('textarea', { id: 'forward-comment', rows: 2, maxlength: 8000 });
	body.push(h('div.dialog-comment', h('label', { for: 'forward-comment' }, t('picker.comment')), comment));
	openDialog({
		id: 'forward-dlg',
		title: t('report.forward_title'),
		body,
		confirmLabel: t('report.forward'),
		onConfirm: async () => {
			if (confirmBox && !confirmBox.checked)
				throw new Error(t('report.anon_set_confirm_needed'));
			const req = {};
			const changed = edits.filter(e => e.ta.value !== e.text);
			if (changed.length) {
				// A merge patch of each top-level field touched (a group or a
				// table goes whole, as previewed, with the edits in it).
				const form = structuredClone(preview.form), patch = {};
				for (const e of changed)
					setPath(form, e.path, e.ta.value);
				for (const e of changed)
					patch[e.path.split('.')[0]] = form[e.path.split('.')[0]];
				req.form = patch;
			}
			if (confirmBox)
				req.confirm_small_anonymity_set = true;
			if (keep.ids().length)
				req.attachments = keep.ids();
			if (comment.value.trim())
				req.comment = comment.value.trim();
			const r = await post(`/reports/${rep.id}/forward`, req);
			toast(r.identification_number ? t('report.forwarded_r', { r: r.identification_number }) : t('report.forwarded'));
			reload();
		},
	});
}

function widenDialog(rep) {
	const tlpSel = h('select', { id: 'widen-tlp' }, TLPS.filter(x => TLPS.indexOf(x) > TLPS.indexOf(rep.tlp)).map(x => h('option', { value: x }, `TLP:${t(`tlp.${x}.code`)}`)));
	const secs = h('div.org-picks', { id: 'widen-sectors', role: 'group', 'aria-label': t('widen.sectors') },
	    SECTORS.map(s => h('span.choice', h('input', { type: 'checkbox', id: `widen-s-${s}`, value: s, checked: s === rep.sector }), h('label', { for: `widen-s-${s}` }, t(`sector.${s}`)))));
	const reason = h('textarea', { id: 'widen-reason', rows: 3 });
	openDialog({
		id: 'widen-dlg', title: t('widen.request'),
		body: [h('p.hint', t('widen.note')),
			h('div.form-line', h('label', { for: 'widen-tlp' }, t('widen.tlp')), tlpSel),
			h('div.form-line', h('span.lbl', t('widen.sectors')), secs),
			h('div.form-line', h('label', { for: 'widen-reason' }, t('widen.reason')), reason)],
		confirmLabel: t('widen.send'),
		onConfirm: async () => {
			await post(`/reports/${rep.id}/widening-requests`, { tlp: tlpSel.value, sectors: [...secs.querySelectorAll('input:checked')].map(i => i.value), reason: reason.value });
			toast(t('widen.sent'));
		},
	});
}
