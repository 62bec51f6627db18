// views/retention.js: retention (docs/internals/retention.md) — the admin's
// panel (保存期間: the days kept per class, the cut-off, what the next purge
// would remove, the legal holds, the audit log kept whole); the legal-hold
// toggle of a report or advisory (NISC analysts and approvers, an admin);
// and the erasure of an anonymised report's source (the source or its
// CEPTOAR secretariat) behind a confirmation that needs the report's id
// typed in, since it can never be undone.
import { h } from '../dom.js';
import { get, post, api } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { pageHeader, toast } from '../ui.js';
import { openDialog } from '../dialog.js';

const roles = me => me?.roles || [];
const isAdmin = me => roles(me).includes('admin');
const isNiscAnalyst = me => me?.org?.type === 'nisc' && roles(me).some(r => r === 'analyst' || r === 'approver');

// The hold toggle for kind 'report' | 'advisory' (item: its GET, with "held").
export function holdButton(kind, item, me, reload) {
	if (item.held === undefined || !(isAdmin(me) || isNiscAnalyst(me)))
		return null;
	const path = `/${kind === 'report' ? 'reports' : 'advisories'}/${item.id}/hold`;
	return h(`button${item.held ? '.held' : ''}`, { type: 'button', id: 'act-hold', 'aria-pressed': String(!!item.held),
	    on: { click: async () => {
		try {
			await api(item.held ? 'DELETE' : 'PUT', path);
			toast(t(item.held ? 'retention.unheld_msg' : 'retention.held_msg'));
			reload();
		} catch (e) {
			toast(e.message, 'error');
		}
	} } }, t(item.held ? 'retention.unhold' : 'retention.hold'));
}

// A badge for the meta list: held, and for an anonymised report its source erased.
export function retentionFacts(item) {
	const out = [];
	if (item.held)
		out.push(h('div', h('dt', t('retention.meta.hold')), h('dd', h('span.chip.held', { id: 'held-chip' }, t('retention.held')))));
	if (item.source_erased)
		out.push(h('div', h('dt', t('retention.meta.source')), h('dd', { id: 'source-erased' }, t('retention.source_erased'))));
	return out;
}

// The erase-source button: an anonymised report, its source or its secretariat.
export function eraseSourceButton(rep, me, reload) {
	if (!rep.anonymised || rep.source_erased || (rep.relation !== 'submitter' && rep.relation !== 'ceptoar'))
		return null;
	if (!['ci_operator', 'ceptoar_secretariat'].includes(me?.org?.type))
		return null;
	return h('button.danger', { type: 'button', id: 'act-erase-source', on: { click: () => {
		const input = h('input', { id: 'erase-confirm-id', type: 'text', autocomplete: 'off', inputmode: 'numeric' });
		const dlg = openDialog({
			id: 'erase-dlg', title: t('retention.erase_title'), confirmLabel: t('retention.erase_confirm'),
			body: [h('p.warn', { role: 'note' }, t('retention.erase_warning')), h('p', t('retention.erase_remains')),
			    h('label', { for: 'erase-confirm-id' }, t('retention.erase_type', { id: rep.id })), input],
			onConfirm: async () => {
				await post(`/reports/${rep.id}/erase-source`, { confirm: true });
				toast(t('retention.erased_msg'));
				reload();
			},
		});
		const ok = dlg.querySelector('#erase-dlg-confirm');
		ok.classList.add('danger');
		ok.disabled = true;
		input.addEventListener('input', () => { ok.disabled = input.value.trim() !== String(rep.id); });
		input.focus();
	} } }, t('retention.erase_source'));
}

export async function retentionView(ctx) {
	const title = t('retention.title');
	const r = await get('/retention');
	const rows = r.classes.map(c => h('tr', { dataset: { class: c.class } },
	    h('th', { scope: 'row' }, t(`retention.class.${c.class}`)),
	    h('td.num', { dataset: { col: 'days' } }, c.days ? t('retention.days_n', { n: c.days }) : t('retention.forever')),
	    h('td', { dataset: { col: 'cutoff' } }, c.cutoff ? fmtDate(c.cutoff) : '—'),
	    h('td.num', { dataset: { col: 'due' } }, String(c.due))));
	const el = h('div.retention-page', pageHeader(title),
	    h('p.hint', t('retention.lead')),
	    h('section.panel', h('h2', t('retention.policy')),
		h('table.list', { id: 'retention-classes' },
		    h('thead', h('tr', ['class', 'days', 'cutoff', 'due'].map(c => h('th', { scope: 'col' }, t(`retention.col.${c}`))))),
		    h('tbody', rows)),
		h('p.hint', t('retention.options_hint'))),
	    h('section.panel', h('h2', t('retention.holds')),
		h('p', { id: 'retention-held' }, t('retention.held_n', { r: r.held.reports, a: r.held.advisories }))),
	    h('section.panel', h('h2', t('retention.audit')),
		h('p', { id: 'retention-audit' }, t('retention.audit_kept'))));
	return { el, title, name: 'retention' };
}
