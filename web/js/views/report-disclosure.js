// views/report-disclosure.js: the 開示 panel of a report (issue 10 item 10).
// Reported information is not disclosed by default (手引書 2.3); a report
// lists every disclosure basis recorded on it — required by law, the
// reporter's consent, or the public-interest proviso — with who decided,
// when, why and to whom, for every reader.  NISC (analyst, approver) and a
// ministry liaison on the path record one (a dialog, then a confirmation);
// a holder that may share shares under one, also outside the TLP range.
// The server alone decides (POST /reports/{id}/disclosures, /share).
import { h } from '../dom.js';
import { post } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { toast, orgName } from '../ui.js';
import { openDialog, orgPickerDialog } from '../dialog.js';
import { vocabIds } from '../vocab.js';
import { reportActions } from '../hints.js';

const has = (me, ...roles) => roles.some(r => (me.roles || []).includes(r));

// Who may record a basis: mirrors policy_report_may_disclose (core/disclosure.c).
export function mayDisclose(me, rep) {
	return (rep.relation === 'nisc' && has(me, 'analyst', 'approver')) ||
	    (rep.relation === 'ministry' && has(me, 'liaison'));
}

function entry(d, i, { me, rep, orgs, reload }) {
	const share = reportActions(me, rep).share;
	return h('li.disclosure', { dataset: { disclosure: String(d.id) } },
	    h('div.disclosure-head',
		h('strong.disclosure-basis', t(`disclosurebasis.${d.basis}`)),
		h('time.muted', { datetime: d.at }, ` ${fmtDate(d.at)}`)),
	    h('dl.disclosure-meta',
		h('div', h('dt', t('disclosure.to')), h('dd.disclosure-to', d.to)),
		h('div', h('dt', t('disclosure.by')), h('dd.disclosure-by', orgName(orgs, d.by_org)))),
	    h('p.disclosure-reason', d.reason),
	    share ? h('button.small', { type: 'button', id: `disclosure-share-${i}`,
		on: { click: () => shareDialog(d, { rep, orgs, me, reload }) } }, t('disclosure.share')) : null);
}

// The panel: every reader sees it; the record button where allowed.
export function disclosurePanel(ctx) {
	const { me, rep, reload } = ctx;
	const list = rep.disclosures || [];
	return h('section.panel', { id: 'disclosures', 'aria-labelledby': 'disc-h' },
	    h('div.panel-head', h('h2', { id: 'disc-h' }, t('disclosure.h')),
		mayDisclose(me, rep) ? h('button', { type: 'button', id: 'act-disclose',
		    on: { click: () => discloseDialog(rep, reload) } }, t('disclosure.record')) : null),
	    list.length ? h('ul.plain.disclosures', list.map((d, i) => entry(d, i, ctx)))
		: h('p.muted', { id: 'disclosures-none' }, t('disclosure.none')),
	    h('p.hint', t('disclosure.note')));
}

// The record dialog: basis (each explained), reason, to whom; then confirm.
function discloseDialog(rep, reload) {
	const bases = vocabIds('disclosure_basis');
	const radios = h('div.disclosure-bases', { id: 'disclose-basis', role: 'radiogroup', 'aria-label': t('disclosure.basis') },
	    bases.map(b => h('div.choice',
		h('input', { type: 'radio', name: 'disclose-basis', id: `disclose-basis-${b}`, value: b }),
		h('label', { for: `disclose-basis-${b}` }, h('strong', t(`disclosurebasis.${b}`)),
		    h('span.hint', ` ${t(`disclosure.help.${b}`)}`)))));
	const reason = h('textarea', { id: 'disclose-reason', rows: 4, maxlength: 8000, 'aria-required': 'true' });
	const to = h('input', { type: 'text', id: 'disclose-to', maxlength: 256, 'aria-required': 'true' });
	const values = () => ({
		basis: radios.querySelector('input:checked')?.value || '',
		reason: reason.value.trim(),
		to: to.value.trim(),
	});
	openDialog({
		id: 'disclose-dlg', title: t('disclosure.record'),
		body: [h('p.hint', t('disclosure.note')),
			h('div.form-line', h('span.lbl', t('disclosure.basis')), radios),
			h('div.form-line', h('label', { for: 'disclose-reason' }, t('disclosure.reason')), reason),
			h('div.form-line', h('label', { for: 'disclose-to' }, t('disclosure.to')), to)],
		confirmLabel: t('disclosure.next'),
		onConfirm: async () => {
			const v = values();
			if (!v.basis || !v.reason || !v.to)
				throw new Error(t('disclosure.fill_all'));
			confirmDialog(rep, v, reload);
		},
	});
}

function confirmDialog(rep, v, reload) {
	openDialog({
		id: 'disclose-confirm-dlg', title: t('disclosure.confirm_title'),
		body: [h('p', t('disclosure.confirm_body')),
			h('dl.disclosure-meta',
			    h('div', h('dt', t('disclosure.basis')), h('dd', t(`disclosurebasis.${v.basis}`))),
			    h('div', h('dt', t('disclosure.to')), h('dd', v.to))),
			h('p.disclosure-reason', v.reason)],
		confirmLabel: t('disclosure.confirm'),
		onConfirm: async () => {
			await post(`/reports/${rep.id}/disclosures`, v);
			toast(t('disclosure.recorded'));
			reload();
		},
	});
}

// Share under a basis: any organisation not yet holding the report.
function shareDialog(d, { rep, orgs, me, reload }) {
	const onPath = new Set(rep.path.map(p => p.org));
	const shared = new Set((rep.shared_with || []).map(s => s.org));
	const candidates = [...orgs.values()].filter(o => o.id !== me.org.id && !onPath.has(o.id) &&
	    !shared.has(o.id) && o.type !== 'platform');
	orgPickerDialog({
		id: 'disclosure-share-dlg', pickerId: 'disclosure-share-to', candidates,
		note: t('disclosure.share_note', { tlp: t(`tlp.${rep.tlp}.code`), basis: t(`disclosurebasis.${d.basis}`), to: d.to }),
		title: t('disclosure.share_title'), confirmLabel: t('report.share'),
		send: async to => {
			await post(`/reports/${rep.id}/share`, { to, disclosure: d.id });
			toast(t('report.shared', { n: to.length }));
			reload();
		},
	});
}
