// views/report-form.js: 情報連絡 — the 第1報 form laid out like 図４, and the
// 第k報 form prefilled from the previous version with a live diff.
import { h, fieldId } from '../dom.js';
import { get, post } from '../api.js';
import { t } from '../i18n.js';
import { REPORT_FORM, ROUTES } from '../spec.js';
import { buildEditor } from '../formedit.js';
import { pageHeader, toast, diffForms, diffView, replaceContent, tlpBanner, errorBox, draftStore, draftNotice, draftPrompt } from '../ui.js';
import { errorText, serverDetail } from '../errors.js';
import { submitBar, submitHandler } from '../formsubmit.js';
import { filePicker, uploadAfter, fmtSize, MAX_ATTACHMENT } from './attachments.js';
import { confirmDialog, factList } from '../dialog.js';

const SERVER_FIELDS = ['report_sequence_number', 'identification_number', 'reported_at'];

function reporterPreview(me, k, ident) {
	return {
		report_sequence_number: t('sheet.nth', { n: k }),
		identification_number: ident || t('report.ident_pending'),
		'reporter.ministry_name': me.org?.name,
	};
}

// The 情報連絡元 contact details from the directory (editable in the form).
function reporterContact(me) {
	const u = me.user || {};
	const o = {};
	const put = (k, v) => { if (v) o[k] = v; };
	put('department', u.department);
	put('contact_person', u.display_name || u.department);
	put('phone', u.phone);
	put('fax', u.fax);
	put('email', u.email);
	return o;
}

// The 様式 says 省庁名 (the ministry official's form); an operator's report names its organisation.
function reporterLabels(me) {
	return me.org?.type === 'ci_ministry' ? {} : { 'reporter.ministry_name': t('report.reporter_org') };
}

// Who a 第1報 reaches first on each route (what the confirmation shows).
function firstRecipients(route, sector, me, orgs) {
	const all = [...orgs.values()];
	const ministries = all.filter(o => o.type === 'ci_ministry' && (o.sectors || []).includes(sector)).map(o => o.name);
	if (route === 'via_ceptoar') {
		const c = me.org?.ceptoar != null ? orgs.get(me.org.ceptoar) : all.find(o => o.type === 'ceptoar_secretariat' && (o.sectors || []).includes(sector));
		return c ? [`${c.name}（${t('report.anonymised_note')}）`] : [t('report.no_ceptoar')];
	}
	if (route === 'urgent')
		return [...ministries, ...all.filter(o => o.type === 'nisc').map(o => o.name)];
	return ministries.length ? ministries : [t('report.no_ministry')];
}

function errorsFrom(err) {
	const field = err.field || '';
	const msg = errorText(err);
	const rows = [[field, msg, serverDetail(err)]];
	return rows;
}

// The route choice (outside the 様式: how the report travels).
function routePanel(ctx, orgs) {
	const me = ctx.me;
	const hasCeptoar = me.org?.ceptoar != null ||
	    [...orgs.values()].some(o => o.type === 'ceptoar_secretariat' && o.sectors.some(s => (me.org?.sectors || []).includes(s)));
	const routes = ROUTES;
	const rid = fieldId('route');
	const group = h('div.choices.route-choices', { role: 'radiogroup', 'aria-labelledby': rid + '-lbl', id: rid, tabindex: '-1', 'aria-describedby': rid + '-err' },
	    routes.map(r => h('label.route-choice', { for: `${rid}-${r}` },
		h('input', { type: 'radio', name: 'route', id: `${rid}-${r}`, value: r, checked: r === 'direct' }),
		h('span.route-body', h('strong', t(`route.${r}`)), h('span.route-desc', t(`route.${r}.desc`))))));
	// 報告義務: asked explicitly (no default), before the route is final.
	const lid = fieldId('legal_duty');
	const legalYes = h('input', { type: 'radio', name: 'legal_duty', id: `${lid}-yes`, value: 'yes' });
	const legalNo = h('input', { type: 'radio', name: 'legal_duty', id: `${lid}-no`, value: 'no' });
	const legal = h('div.choices.inline', { id: lid, role: 'radiogroup', tabindex: '-1', 'aria-labelledby': lid + '-lbl', 'aria-describedby': lid + '-err' },
	    h('span.choice', legalYes, h('label', { for: `${lid}-yes` }, t('report.legal_duty_yes'))),
	    h('span.choice', legalNo, h('label', { for: `${lid}-no` }, t('report.legal_duty_no'))));
	const viaInput = group.querySelector('input[value=via_ceptoar]');
	legalYes.addEventListener('change', () => {
		// A legally reportable case never goes anonymised.
		if (viaInput?.checked) {
			viaInput.checked = false;
			group.querySelector('input[value=direct]').checked = true;
		}
		if (viaInput)
			viaInput.disabled = true;
	});
	legalNo.addEventListener('change', () => { if (viaInput) viaInput.disabled = false; });
	if (!hasCeptoar && viaInput)
		viaInput.closest('label')?.classList.add('muted');
	const extraList = h('div.org-picks', { id: fieldId('extra_recipients'), role: 'group', 'aria-labelledby': fieldId('extra_recipients') + '-lbl' },
	    [...orgs.values()].filter(o => o.id !== me.org?.id && o.type !== 'platform').map(o =>
		h('span.choice', h('input', { type: 'checkbox', id: `extra-${o.id}`, value: String(o.id) }), h('label', { for: `extra-${o.id}` }, o.name))));
	const el = h('section.panel.route-panel', { 'aria-labelledby': 'route-h' },
	    h('h2', { id: 'route-h' }, t('report.sending')),
	    h('div.meta-row', h('span.lbl', { id: rid + '-lbl' }, t('report.route')), h('div.cell', group, h('div.field-err', { id: rid + '-err', hidden: true }))),
	    h('div.meta-row', h('span.lbl', { id: lid + '-lbl' }, t('report.legal_duty_h') + ' *'), h('div.cell', h('p.hint', t('report.legal_duty')), legal,
		h('div.field-err', { id: lid + '-err', hidden: true }))),
	    h('details.meta-row.extra', h('summary', { id: fieldId('extra_recipients') + '-lbl' }, t('report.extra_recipients')),
		h('p.hint', t('report.extra_recipients.desc')), extraList, h('div.field-err', { id: fieldId('extra_recipients') + '-err', hidden: true })));
	return {
		el,
		value: () => ({
			route: el.querySelector('input[name=route]:checked')?.value,
			legal_duty: legalYes.checked ? true : legalNo.checked ? false : null,
			extra_recipients: [...extraList.querySelectorAll('input:checked')].map(i => Number(i.value)),
		}),
	};
}

export async function reportNewView(ctx) {
	const me = ctx.me;
	const orgs = ctx.orgs;
	if (me.org?.type !== 'ci_operator')
		return { el: h('div', pageHeader(t('report.new_title')), errorBox(t('report.only_operators'))), title: t('report.new_title'), name: 'report-new' };
	const draft = draftStore(`report-new.${me.id}`);
	const saved = draft.load();
	const initial = saved || { sector: (me.org.sectors || [])[0], affected_operator_name: me.org.name, reporter: reporterContact(me) };
	const editor = buildEditor('rf', REPORT_FORM, initial, { tlpAudience: 'report', serverValues: reporterPreview(me, 1, ''), labels: reporterLabels(me) });
	const prompt = saved ? null : draftPrompt(draft, () => ctx.navigate(location.pathname, { replace: true }));
	editor.onChange(() => { prompt?.remove(); draft.save(editor.value()); });
	const route = routePanel(ctx, orgs);
	const files = filePicker('report-files', () => editor.set('has_attachment', 'yes'));
	const bar = submitBar(t('report.submit_first'));
	const submit = submitHandler(editor, bar, {
		check: () => {
			const r = route.value();
			if (r.legal_duty == null)
				return [['legal_duty', t('err.legal_duty_choose')]];
			if (!r.route)
				return [['route', t('err.route_choose')]];
			return r.route === 'via_ceptoar' && r.legal_duty ? [['route', t('err.legal_duty_route')]] : [];
		},
		confirm: f => {
			const r = route.value();
			return confirmDialog({
				id: 'confirm-send', title: t('report.confirm_title'), confirmLabel: t('report.confirm_send'),
				body: h('div', h('p', t('report.confirm_lead')), factList([
					[t('report.route'), t(`route.${r.route}`)],
					[t('report.confirm_to'), h('ul.plain', { id: 'confirm-to' }, firstRecipients(r.route, f.sector, me, orgs).map(n => h('li', n)))],
					r.extra_recipients.length ? [t('report.extra_recipients'), r.extra_recipients.map(id => orgs.get(id)?.name || `#${id}`).join('、')] : null,
					[t('report.confirm_tlp'), h(`span.tlp-code.tlp-${f.tlp}`, { id: 'confirm-tlp' }, `TLP:${t(`tlp.${f.tlp}.code`)}`)],
					[t('report.legal_duty_h'), t(r.legal_duty ? 'report.legal_duty_yes' : 'report.legal_duty_no')],
				])),
			});
		},
		send: async f => {
			const r = route.value();
			if (!files.ok())
				throw new Error(t('attach.too_big_short', { max: fmtSize(MAX_ATTACHMENT) }));
			if (files.files().length)
				f.has_attachment = 'yes';
			const body = { route: r.route, legal_duty: r.legal_duty, form: f };
			if (r.extra_recipients.length)
				body.extra_recipients = r.extra_recipients;
			const res = await post('/reports', body);
			draft.clear();
			toast(t('report.sent_first', { state: t(`state.${res.state}`) }));
			await uploadAfter('reports', res.id, files.files(), 1);
			ctx.navigate(`/reports/${res.id}`);
		},
		serverErrors: errorsFrom,
	});
	const form = h('form.report-form', { novalidate: true, 'aria-labelledby': 'page-title', on: { submit } }, route.el, editor.el, files.el, bar.el);
	const el = h('div.form-page', pageHeader(t('report.new_title')), h('p.lead', t('report.new_lead')),
	    saved ? draftNotice(() => { draft.clear(); ctx.navigate(location.pathname, { replace: true }); }) : prompt, form);
	return { el, title: t('report.new_title'), name: 'report-new' };
}

export async function reportFollowupView(ctx) {
	const id = ctx.params[0];
	const rep = await get(`/reports/${id}`);
	const me = ctx.me;
	const k = rep.version_count + 1;
	const title = t('report.followup_title', { n: k });
	if (rep.relation !== 'submitter')
		return { el: h('div', pageHeader(title), errorBox(t('err.followup_submitter'))), title, name: 'report-followup' };
	const prev = rep.versions[rep.versions.length - 1];
	const draft = draftStore(`report-followup.${id}.${k}.${me.id}`);
	const saved = draft.load();
	const initial = saved || structuredClone(prev.form || {});
	for (const f of SERVER_FIELDS)
		delete initial[f];
	initial.reporter = { ...reporterContact(me), ...(initial.reporter || {}) };
	delete initial.reporter.ministry_name;
	const editor = buildEditor('rf', REPORT_FORM, initial, {
		tlpAudience: 'report', tlpMax: rep.tlp, lockSector: true, labels: reporterLabels(me),
		serverValues: reporterPreview(me, k, rep.route === 'urgent' && rep.identification_number ? `${rep.identification_number}-${k}` : ''),
	});
	const diffBox = h('div.diff-box', { id: 'diff', 'aria-live': 'polite' });
	const refreshDiff = () => replaceContent(diffBox, diffView(diffForms('rf', REPORT_FORM, prev.form, editor.value(), ctx.orgs), t('diff.none_yet')));
	editor.onChange(refreshDiff);
	const prompt = saved ? null : draftPrompt(draft, () => ctx.navigate(location.pathname, { replace: true }));
	editor.onChange(() => { prompt?.remove(); draft.save(editor.value()); });
	refreshDiff();
	const files = filePicker('followup-files', () => editor.set('has_attachment', 'yes'));
	const bar = submitBar(t('report.submit_followup', { n: k }));
	const submit = submitHandler(editor, bar, {
		send: async f => {
			if (!files.ok())
				throw new Error(t('attach.too_big_short', { max: fmtSize(MAX_ATTACHMENT) }));
			if (files.files().length)
				f.has_attachment = 'yes';
			const res = await post(`/reports/${id}/followups`, { form: f });
			await uploadAfter('reports', id, files.files(), res.version);
			draft.clear();
			toast(t('report.sent_followup', { n: res.version }));
			ctx.navigate(`/reports/${id}`);
		},
		serverErrors: errorsFrom,
	});
	const form = h('form.report-form', { novalidate: true, 'aria-labelledby': 'page-title', on: { submit } }, editor.el, files.el, bar.el);
	const el = h('div.form-page.with-aside',
	    tlpBanner(rep.tlp, 'report'),
	    pageHeader(title, h('a.button', { href: `/reports/${id}` }, t('common.back_to_detail'))),
	    h('p.lead', t('report.followup_lead', { n: k, prev: k - 1 })),
	    saved ? draftNotice(() => { draft.clear(); ctx.navigate(location.pathname, { replace: true }); }) : prompt,
	    h('div.split', form,
		h('aside.diff-aside', { 'aria-labelledby': 'diff-h' }, h('h2', { id: 'diff-h' }, t('report.diff_h', { prev: k - 1 })), diffBox)));
	return { el, title, name: 'report-followup' };
}
