// views/report-form.js: 情報連絡 — the 第1報 form laid out like 図４, and the
// 第k報 form prefilled from the previous version with a live diff.
import { h, fieldId } from '../dom.js';
import { get, post } from '../api.js';
import { t } from '../i18n.js';
import { REPORT_FORM, ROUTES } from '../spec.js';
import { buildEditor } from '../formedit.js';
import { pageHeader, toast, diffForms, diffView, replaceContent, tlpBanner, errorBox, draftStore, draftNotice } from '../ui.js';
import { errorText, serverDetail } from '../errors.js';
import { submitBar, submitHandler } from '../formsubmit.js';
import { filePicker, uploadAfter, fmtSize, MAX_ATTACHMENT } from './attachments.js';

const SERVER_FIELDS = ['report_sequence_number', 'identification_number', 'reporter', 'reported_at'];

function reporterPreview(me, k, ident) {
	const u = me.user || {};
	return {
		report_sequence_number: t('sheet.nth', { n: k }),
		identification_number: ident || t('report.ident_pending'),
		'reporter.ministry_name': me.org?.name,
		'reporter.department': u.department,
		'reporter.contact_person': u.display_name || u.department || undefined,
		'reporter.phone': u.phone,
		'reporter.email': u.email,
	};
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
		h('input', { type: 'radio', name: 'route', id: `${rid}-${r}`, value: r, checked: r === (hasCeptoar ? 'via_ceptoar' : 'direct') }),
		h('span.route-body', h('strong', t(`route.${r}`)), h('span.route-desc', t(`route.${r}.desc`))))));
	const legal = h('input', { type: 'checkbox', id: fieldId('legal_duty'), 'aria-describedby': fieldId('legal_duty') + '-err' });
	const extraList = h('div.org-picks', { id: fieldId('extra_recipients'), role: 'group', 'aria-labelledby': fieldId('extra_recipients') + '-lbl' },
	    [...orgs.values()].filter(o => o.id !== me.org?.id && o.type !== 'platform').map(o =>
		h('span.choice', h('input', { type: 'checkbox', id: `extra-${o.id}`, value: String(o.id) }), h('label', { for: `extra-${o.id}` }, o.name))));
	const el = h('section.panel.route-panel', { 'aria-labelledby': 'route-h' },
	    h('h2', { id: 'route-h' }, t('report.sending')),
	    h('div.meta-row', h('span.lbl', { id: rid + '-lbl' }, t('report.route')), h('div.cell', group, h('div.field-err', { id: rid + '-err', hidden: true }))),
	    h('div.meta-row', h('span.lbl', t('report.legal_duty_h')), h('div.cell', h('span.choice', legal, h('label', { for: fieldId('legal_duty') }, t('report.legal_duty'))),
		h('div.field-err', { id: fieldId('legal_duty') + '-err', hidden: true }))),
	    h('details.meta-row.extra', h('summary', { id: fieldId('extra_recipients') + '-lbl' }, t('report.extra_recipients')),
		h('p.hint', t('report.extra_recipients.desc')), extraList, h('div.field-err', { id: fieldId('extra_recipients') + '-err', hidden: true })));
	return {
		el,
		value: () => ({
			route: el.querySelector('input[name=route]:checked')?.value,
			legal_duty: legal.checked,
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
	const initial = saved || { sector: (me.org.sectors || [])[0], affected_operator_name: me.org.name };
	const editor = buildEditor('rf', REPORT_FORM, initial, { tlpAudience: 'report', serverValues: reporterPreview(me, 1, '') });
	editor.onChange(() => draft.save(editor.value()));
	const route = routePanel(ctx, orgs);
	const files = filePicker('report-files', () => editor.set('has_attachment', 'yes'));
	const bar = submitBar(t('report.submit_first'));
	const submit = submitHandler(editor, bar, {
		check: () => {
			const r = route.value();
			return r.route === 'via_ceptoar' && r.legal_duty ? [['route', t('err.legal_duty_route')]] : [];
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
	    saved ? draftNotice(() => { draft.clear(); ctx.navigate(location.pathname, { replace: true }); }) : null, form);
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
	const editor = buildEditor('rf', REPORT_FORM, initial, {
		tlpAudience: 'report', tlpMax: rep.tlp, lockSector: true,
		serverValues: reporterPreview(me, k, rep.route === 'urgent' && rep.identification_number ? `${rep.identification_number}-${k}` : ''),
	});
	const diffBox = h('div.diff-box', { id: 'diff', 'aria-live': 'polite' });
	const refreshDiff = () => replaceContent(diffBox, diffView(diffForms('rf', REPORT_FORM, prev.form, editor.value(), ctx.orgs), t('diff.none_yet')));
	editor.onChange(refreshDiff);
	editor.onChange(() => draft.save(editor.value()));
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
	    saved ? draftNotice(() => { draft.clear(); ctx.navigate(location.pathname, { replace: true }); }) : null,
	    h('div.split', form,
		h('aside.diff-aside', { 'aria-labelledby': 'diff-h' }, h('h2', { id: 'diff-h' }, t('report.diff_h', { prev: k - 1 })), diffBox)));
	return { el, title, name: 'report-followup' };
}
