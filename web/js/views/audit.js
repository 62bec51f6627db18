// views/audit.js: 監査ログ — the hash-chained audit log for admins and NISC
// (GET /audit), with filters (since, action, organisation, item) and
// paging, and the chain check (GET /audit/verify).
import { h, clear } from '../dom.js';
import { get } from '../api.js';
import { t, fmtDate, parseJst } from '../i18n.js';
import { pageHeader, orgName, errorBox } from '../ui.js';
import { errorText } from '../errors.js';

const ACTIONS = ['report.', 'advisory.', 'widening.', 'user.', 'org.', 'token.', 'session.', 'inbox.', 'audit.'];

function detailText(d) {
	if (d == null)
		return '';
	const s = JSON.stringify(d);
	return s.length > 160 ? s.slice(0, 157) + '…' : s;
}

export async function auditView(ctx) {
	const { me, orgs } = ctx;
	const title = t('audit.title');
	const allowed = (me.roles || []).includes('admin') || (me.org?.type === 'nisc' && (me.roles || []).some(r => ['analyst', 'approver', 'org_admin'].includes(r)));
	if (!allowed)
		return { el: h('div', pageHeader(title), errorBox(t('audit.not_allowed'))), title, name: 'audit' };
	const since = h('input', { type: 'text', id: 'audit-since', placeholder: 'YYYY-MM-DD HH:MM', inputmode: 'numeric' });
	const action = h('input', { type: 'text', id: 'audit-action', list: 'audit-actions', placeholder: 'advisory.' });
	const actions = h('datalist', { id: 'audit-actions' }, ACTIONS.map(a => h('option', { value: a })));
	const org = h('select', { id: 'audit-org' }, h('option', { value: '' }, t('audit.any_org')),
	    [...orgs.values()].filter(o => o.type !== 'platform').map(o => h('option', { value: String(o.id) }, o.name)));
	const item = h('input', { type: 'text', id: 'audit-item', placeholder: 'advisory:12' });
	const limit = h('select', { id: 'audit-limit' }, [50, 100, 200, 500].map(n => h('option', { value: String(n) }, String(n))));
	const err = h('div.field-err', { id: 'audit-err', role: 'alert', hidden: true });
	const body = h('tbody');
	const pageInfo = h('span.muted', { id: 'audit-page', 'aria-live': 'polite' });
	const prev = h('button.small', { type: 'button', id: 'audit-prev', disabled: true }, t('audit.prev'));
	const next = h('button.small', { type: 'button', id: 'audit-next', disabled: true }, t('audit.next'));
	const verifyOut = h('span', { id: 'audit-verify-out', 'aria-live': 'polite' });
	const verify = h('button.small', { type: 'button', id: 'audit-verify', on: { click: async () => {
		try {
			const r = await get('/audit/verify');
			verifyOut.textContent = r.ok ? t('audit.intact', { n: r.entries }) : t('audit.broken', { seq: r.broken_at, why: r.reason });
			verifyOut.className = r.ok ? 'ok' : 'bad';
		} catch (e) {
			verifyOut.textContent = errorText(e);
		}
	} } }, t('audit.verify'));
	// Cursors of the pages seen, for "previous".
	let cursors = [null], page = 0;
	const query = () => {
		const q = new URLSearchParams({ limit: limit.value });
		if (since.value.trim()) {
			const at = parseJst(since.value.trim());
			if (!at)
				throw Object.assign(new Error(t('err.datetime')), { field: 'since' });
			q.set('since', at);
		}
		if (action.value.trim())
			q.set('action', action.value.trim());
		if (org.value)
			q.set('org', org.value);
		if (item.value.trim())
			q.set('item', item.value.trim());
		if (cursors[page])
			q.set('cursor', cursors[page]);
		return q;
	};
	const load = async () => {
		err.hidden = true;
		clear(body);
		let r;
		try {
			r = await get(`/audit?${query()}`);
		} catch (e) {
			err.textContent = errorText(e);
			err.hidden = false;
			return;
		}
		for (const a of r.items)
			body.append(h('tr', { dataset: { seq: String(a.seq), action: a.action } },
			    h('td.num', String(a.seq)), h('td.date', h('time', { datetime: a.at }, fmtDate(a.at))),
			    h('td', a.user != null ? `#${a.user}` : '—'), h('td', a.org != null ? orgName(orgs, a.org) : '—'),
			    h('td', h('code', a.action)), h('td', a.item ? itemLink(a.item) : '—'), h('td.detail', detailText(a.detail))));
		if (!r.items.length)
			body.append(h('tr', h('td.muted', { colspan: '7' }, t('audit.empty'))));
		cursors[page + 1] = r.next_cursor;
		prev.disabled = page === 0;
		next.disabled = !r.next_cursor;
		pageInfo.textContent = t('audit.page', { n: page + 1, count: r.items.length });
	};
	const apply = ev => {
		ev.preventDefault();
		cursors = [null];
		page = 0;
		load();
	};
	prev.addEventListener('click', () => { page = Math.max(0, page - 1); load(); });
	next.addEventListener('click', () => { page++; load(); });
	const filters = h('form.panel.audit-filters', { id: 'audit-filters', on: { submit: apply } },
	    h('div.form-line', h('label', { for: 'audit-since' }, t('audit.since')), since),
	    h('div.form-line', h('label', { for: 'audit-action' }, t('audit.action')), action, actions),
	    h('div.form-line', h('label', { for: 'audit-org' }, t('audit.org')), org),
	    h('div.form-line', h('label', { for: 'audit-item' }, t('audit.item')), item),
	    h('div.form-line', h('label', { for: 'audit-limit' }, t('audit.limit')), limit),
	    h('div.form-actions', h('button.primary', { type: 'submit', id: 'audit-apply' }, t('audit.apply'))), err);
	const table = h('table.list.compact', { id: 'audit-table' },
	    h('thead', h('tr', ['seq', 'at', 'user', 'org', 'action', 'item', 'detail'].map(c => h('th', { scope: 'col' }, t(`audit.col.${c}`))))), body);
	const el = h('div.audit-page', pageHeader(title, verify), verifyOut, h('p.lead', t('audit.lead')), filters,
	    h('div.pager', prev, ' ', pageInfo, ' ', next), table);
	await load();
	return { el, title, name: 'audit' };
}

function itemLink(item) {
	const m = /^(report|advisory):(\d+)$/.exec(item);
	if (!m)
		return h('code', item);
	return h('a', { href: `/${m[1] === 'report' ? 'reports' : 'advisories'}/${m[2]}` }, item);
}
