// views/inbox.js: 受信箱 — advisories delivered to the caller's organisation
// (GET /inbox), live over server-sent events, with unread / unacknowledged
// filters and the 受領確認 (acknowledge) button.  Hops that forward reports
// (CEPTOAR, ministry) and NISC also see the reports waiting for them.
import { h, clear } from '../dom.js';
import { get, post, getAll } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { tlpChip, impBadge, stateChip, pageHeader, toast, errorBox, orgName } from '../ui.js';
import { errorText } from '../errors.js';
import * as live from '../live.js';
import { openDialog } from '../dialog.js';
import { tasksPanel, refreshTasks } from './tasks.js';

export function inboxRow(item, onAck) {
	const unread = !item.read_at;
	const acked = !!item.acknowledged_at;
	const ackCell = h('td.ack');
	const tr = h('tr', { dataset: { id: String(item.id), unread: String(unread), acked: String(acked) }, class: unread ? 'unread' : '' },
	    h('td.status', unread ? h('span.dot', { title: t('inbox.unread') }, h('span.sr-only', t('inbox.unread'))) : ''),
	    h('td', impBadge(item.importance), item.urgent ? h('span.urgent', t('adv.urgent_badge')) : null),
	    h('td', tlpChip(item.tlp)),
	    h('td.ident', h('a', { href: `/advisories/${item.id}` }, item.identification_number || t('adv.no_number'))),
	    h('td.summary', item.summary || h('span.muted', t('common.no_summary'))),
	    h('td.date', fmtDate(item.delivered_at || item.issued_at)),
	    ackCell);
	if (acked) {
		ackCell.append(h('span.acked', t('inbox.acked_at', { at: fmtDate(item.acknowledged_at) })));
	} else if (onAck) {
		const btn = h('button.small.primary', { type: 'button', 'aria-label': t('inbox.ack_aria', { id: item.identification_number || '' }),
		    on: { click: () => onAck(item, tr, btn) } }, t('inbox.ack'));
		ackCell.append(btn);
	}
	return tr;
}

export async function acknowledge(item, tr, btn) {
	btn.disabled = true;
	try {
		const r = await post(`/advisories/${item.id}/ack`);
		item.acknowledged_at = r.acknowledged_at;
		const cell = tr.querySelector('td.ack');
		clear(cell);
		cell.append(h('span.acked', t('inbox.acked_at', { at: fmtDate(r.acknowledged_at) })));
		tr.dataset.acked = 'true';
		toast(t('inbox.acked_toast', { id: item.identification_number || '' }));
	} catch (e) {
		btn.disabled = false;
		toast(errorText(e), 'error');
	}
}

function waitingReports(ctx) {
	const type = ctx.me.org?.type;
	const want = { ceptoar_secretariat: 'at_ceptoar', ci_ministry: 'at_ministry', nisc: 'at_nisc' }[type];
	if (!want)
		return null;
	const box = h('section.panel', { 'aria-labelledby': 'waiting-h', id: 'waiting-reports' },
	    h('h2', { id: 'waiting-h' }, t(`inbox.waiting.${type}`)), h('p.loading', t('common.loading')));
	const triage = type === 'nisc' ? get('/triage').then(r => new Map(r.items.map(x => [x.report, x]))).catch(() => new Map()) : Promise.resolve(null);
	Promise.all([get('/reports?limit=100'), triage]).then(([r, tri]) => {
		// NISC: what is done leaves the list; the rest shows 未処理 or 担当.
		const items = r.items.filter(x => x.state === want && (!tri || tri.get(x.id)?.state !== 'done')).slice(0, 20);
		box.querySelector('.loading')?.remove();
		if (!items.length) {
			box.append(h('p.muted', t('inbox.waiting.none')));
			return;
		}
		box.append(h('table.list', h('thead', h('tr', ['th.ident', 'th', 'th', 'th', 'th', 'th.date'].map((c, i) => h(c, { scope: 'col' },
		    t(['list.col.ident', 'list.col.tlp', 'list.col.sector', 'list.col.summary', 'list.col.state', 'list.col.updated'][i]))),
		    tri ? h('th', { scope: 'col' }, t('triage.col')) : null)),
		    h('tbody', items.map(x => h('tr', { dataset: { id: String(x.id) } },
			h('td.ident', h('a', { href: `/reports/${x.id}` }, x.identification_number ? `${x.identification_number}` : t('report.no_r'), ' ', t('sheet.nth', { n: x.version }))),
			h('td', tlpChip(x.tlp)), h('td', t(`sector.${x.sector}`)),
			h('td.summary', x.summary || h('span.muted', t('common.no_summary'))), h('td', stateChip(x.state)), h('td.date', fmtDate(x.updated_at)),
			tri ? triageCell(x, tri.get(x.id), ctx) : null)))));
	}).catch(e => {
		box.querySelector('.loading')?.remove();
		box.append(errorBox(errorText(e)));
	});
	return box;
}

// NISC's handling state of a received report: 未処理 → 担当 (assigned to
// me) → 処理済 (done: leaves the list).
function triageCell(x, cur, ctx) {
	const td = h('td.triage', { dataset: { report: String(x.id) } });
	const paint = st => {
		const mine = st && st.assignee === ctx.me.id;
		td.replaceChildren(h('span', { class: `state triage-${st?.state || 'open'}` },
		    st?.state === 'assigned' ? t('triage.assigned_to', { name: st.assignee_name || '' }) : t('triage.open')), ' ');
		const set = async (state, btn) => {
			btn.disabled = true;
			try {
				const r = await post(`/reports/${x.id}/triage`, { state });
				if (state === 'done') {
					td.closest('tr')?.remove();
					toast(t('triage.done_toast', { id: x.identification_number || '' }));
				} else
					paint(r);
				refreshTasks();
			} catch (e) {
				btn.disabled = false;
				toast(errorText(e), 'error');
			}
		};
		if (!mine)
			td.append(h('button.small', { type: 'button', dataset: { act: 'assign' }, on: { click: ev => set('assigned', ev.currentTarget) } }, t('triage.assign')), ' ');
		td.append(h('button.small', { type: 'button', dataset: { act: 'done' }, on: { click: ev => set('done', ev.currentTarget) } }, t('triage.mark_done')));
	};
	paint(cur);
	return td;
}

// An operator's home: the state of its own reports (newest first).
function ownReports(ctx) {
	if (ctx.me.org?.type !== 'ci_operator')
		return null;
	const box = h('section.panel', { 'aria-labelledby': 'own-h', id: 'own-reports' },
	    h('h2', { id: 'own-h' }, t('inbox.own_reports')), h('p.loading', t('common.loading')));
	Promise.all([get('/reports?limit=10'), get('/reports?limit=10&anonymised=mine').catch(() => ({ items: [] }))]).then(([a, b]) => {
		box.querySelector('.loading')?.remove();
		const seen = new Set();
		const items = [...a.items, ...b.items].filter(x => !seen.has(x.id) && seen.add(x.id) &&
		    (x.submitter_org === undefined || x.submitter_org === ctx.me.org?.id || x.anonymised))
		    .sort((x, y) => String(y.updated_at).localeCompare(String(x.updated_at))).slice(0, 10);
		if (!items.length) {
			box.append(h('p.muted', t('inbox.own_none')));
			return;
		}
		box.append(h('ul.plain.own-reports', items.map(x => h('li', { dataset: { id: String(x.id), state: x.state } },
		    h('a', { href: `/reports/${x.id}` }, x.identification_number || t('report.no_r')), ' ', t('sheet.nth', { n: x.version }), ' ',
		    stateChip(x.state), ' ', h('span.summary', x.summary || ''), ' ', h('span.muted', fmtDate(x.updated_at))))));
	}).catch(e => {
		box.querySelector('.loading')?.remove();
		box.append(errorBox(errorText(e)));
	});
	return box;
}

// One-click consent no more: a dialog with the report (R-number, linked),
// who asks, and the scope before and after.
function wideningDialog(w, ctx, onDone) {
	const sectors = list => list.map(s => t(`sector.${s}`)).join('、');
	const ident = w.report_identification_number || t('report.no_r');
	const before = h('dd', { id: 'widen-before' }, t('common.loading'));
	get(`/reports/${w.report}`).then(r => {
		before.textContent = t('widen.scope', { tlp: t(`tlp.${r.tlp}.code`), sectors: t(`sector.${r.sector}`) });
	}).catch(() => { before.textContent = '—'; });
	const body = h('dl.kv.widen-preview',
	    h('dt', t('widen.dlg.report')), h('dd', h('a', { href: `/reports/${w.report}`, id: 'widen-report-link', target: '_blank', rel: 'noopener' }, ident)),
	    h('dt', t('widen.dlg.requester')), h('dd', { id: 'widen-requester' }, orgName(ctx.orgs, w.requested_by_org), w.created_at ? ` （${fmtDate(w.created_at)}）` : ''),
	    h('dt', t('widen.dlg.reason')), h('dd', w.reason || '—'),
	    h('dt', t('widen.dlg.before')), before,
	    h('dt', t('widen.dlg.after')), h('dd', { id: 'widen-after' }, h('strong', t('widen.scope', { tlp: t(`tlp.${w.tlp}.code`), sectors: sectors(w.sectors) }))));
	return verb => openDialog({
		id: 'widen-dlg', title: t(verb === 'approve' ? 'widen.dlg.title_approve' : 'widen.dlg.title_refuse', { report: ident }),
		body: [body, h('p.hint', t(verb === 'approve' ? 'widen.dlg.note_approve' : 'widen.dlg.note_refuse'))],
		confirmLabel: t(verb === 'approve' ? 'inbox.widen_approve' : 'inbox.widen_refuse'),
		onConfirm: async () => {
			await post(`/widening-requests/${w.id}/${verb}`);
			onDone(verb);
		},
	});
}

// Widening requests addressed to the caller (the source, or an anonymised
// report's CEPTOAR secretariat): approve or refuse; NISC approvers: drafts
// awaiting the second pair of eyes.
function pendingDecisions(ctx) {
	const type = ctx.me.org?.type;
	const box = h('section.panel', { 'aria-labelledby': 'decide-h', id: 'decisions', hidden: true },
	    h('h2', { id: 'decide-h' }, t('inbox.decisions')));
	const list = h('ul.plain.decisions');
	box.append(list);
	if (type === 'nisc' && (ctx.me.roles || []).includes('approver')) {
		get('/advisories?limit=100').then(r => {
			for (const a of r.items.filter(x => x.state === 'pending_approval')) {
				box.hidden = false;
				list.append(h('li', { dataset: { adv: String(a.id) } }, impBadge(a.importance), ' ', tlpChip(a.tlp), ' ',
				    h('a', { href: `/advisories/${a.id}` }, a.identification_number || t('adv.no_number')), ' ', a.summary || '', ' ',
				    h('span.state.state-pending_approval', t('advstate.pending_approval'))));
			}
		}).catch(() => {});
	}
	if (type === 'ceptoar_secretariat') {
		// Source reviews (policy.md "No oracle"): advisories on the reports it anonymised.
		get('/source-reviews?limit=100').then(r => {
			for (const x of r.items) {
				box.hidden = false;
				list.append(h('li', { dataset: { review: String(x.advisory) } }, impBadge(x.item.importance), ' ', tlpChip(x.item.tlp), ' ',
				    h('a', { href: `/advisories/${x.advisory}` }, t('inbox.review_item', { ident: x.item.identification_number || t('adv.no_number'),
					report: x.report_identification_number || t('report.no_r') })), ' ', x.item.summary || '', ' ',
				    h('span.state.state-pending_source_review', t('advstate.pending_source_review'))));
			}
		}).catch(() => {});
	}
	if (type !== 'nisc') {
		get('/widening-requests?limit=100').then(r => {
			for (const w of r.items.filter(x => x.state === 'pending')) {
				box.hidden = false;
				const ident = w.report_identification_number || t('report.no_r');
				const li = h('li', { dataset: { widening: String(w.id) } },
				    h('strong', t('inbox.widen_item', { report: ident, tlp: t(`tlp.${w.tlp}.code`), sectors: w.sectors.map(s => t(`sector.${s}`)).join('、') })),
				    ' ', h('a', { href: `/reports/${w.report}` }, t('widen.open_report')), ' ',
				    h('span.muted', t('widen.requested_by', { org: orgName(ctx.orgs, w.requested_by_org) })),
				    w.reason ? h('span.muted', ` ${w.reason}`) : null, ' ');
				const open = wideningDialog(w, ctx, verb => {
					li.replaceChildren(h('span', t(verb === 'approve' ? 'inbox.widen_approved' : 'inbox.widen_refused', { report: ident })));
					refreshTasks();
				});
				li.append(h('button.small.primary', { type: 'button', dataset: { act: 'approve' }, on: { click: () => open('approve') } }, t('inbox.widen_approve')), ' ',
				    h('button.small', { type: 'button', dataset: { act: 'refuse' }, on: { click: () => open('refuse') } }, t('inbox.widen_refuse')));
				list.append(li);
			}
		}).catch(() => {});
	}
	return box;
}

export async function inboxView(ctx) {
	const t0 = performance.now();
	// 'drill': the drills' advisories, kept apart from the production inbox.
	const filter = ['unread', 'unacknowledged', 'drill'].includes(ctx.query.get('filter')) ? ctx.query.get('filter') : 'all';
	const count = h('p.count', { 'aria-live': 'polite', id: 'inbox-count' });
	const body = h('tbody', { id: 'inbox-rows' });
	const table = h('table.list.inbox', { 'aria-labelledby': 'page-title', 'aria-busy': 'true' },
	    h('thead', h('tr',
		h('th.status', { scope: 'col' }, h('span.sr-only', t('inbox.col.status'))),
		h('th', { scope: 'col' }, t('list.col.importance')),
		h('th', { scope: 'col' }, t('list.col.tlp')),
		h('th.ident', { scope: 'col' }, t('list.col.ident')),
		h('th', { scope: 'col' }, t('list.col.summary')),
		h('th.date', { scope: 'col' }, t('inbox.col.delivered')),
		h('th', { scope: 'col' }, t('inbox.col.ack')))),
	    body);
	const filters = h('div.segmented', { role: 'radiogroup', 'aria-label': t('inbox.filter_label') },
	    ['all', 'unread', 'unacknowledged', 'drill'].map(f => {
		const id = `inbox-filter-${f}`;
		return h('span.seg', h('input', { type: 'radio', name: 'inbox-filter', id, value: f, checked: f === filter,
		    on: { change: () => ctx.navigate(f === 'all' ? '/inbox' : `/inbox?filter=${f}`, { replace: true }) } }),
		    h('label', { for: id }, t(`inbox.filter.${f}`)));
	    }));
	const items = new Map();
	const empty = h('p.muted.empty', { hidden: true }, t('inbox.empty'));
	const el = h('div.inbox-page',
	    pageHeader(t('inbox.title'), h('span.live-state', { id: 'live-state' }, t('inbox.live'))),
	    tasksPanel(),
	    ownReports(ctx),
	    pendingDecisions(ctx),
	    waitingReports(ctx),
	    h('section.panel', { 'aria-labelledby': 'adv-h' },
		h('div.panel-head', h('h2', { id: 'adv-h' }, t('inbox.advisories')), filters, count),
		table, empty));

	const updateCount = () => {
		let unread = 0, unacked = 0;
		for (const it of items.values()) {
			unread += !it.read_at;
			unacked += !it.acknowledged_at;
		}
		count.textContent = t('inbox.count', { n: items.size, unread, unacked });
		empty.hidden = items.size > 0;
		if (filter === 'all')
			ctx.setUnread(unread);
	};
	const keep = it => (filter === 'drill') === (it.drill != null) &&
	    (filter === 'all' || filter === 'drill' || (filter === 'unread' && !it.read_at) || (filter === 'unacknowledged' && !it.acknowledged_at));

	const unsubscribe = live.onEvent((kind, item) => {
		if (kind === 'source_review' || kind === 'inquiry' || kind === 'answer' || kind === 'returned')	/* tasks, not deliveries */
			return;
		const old = body.querySelector(`tr[data-id="${item.id}"]`);
		if (!keep(item)) {
			if (old)
				old.remove();
			items.delete(item.id);
			updateCount();
			return;
		}
		items.set(item.id, item);
		const row = inboxRow(item, acknowledge);
		row.classList.add('fresh');
		if (old)
			old.replaceWith(row);
		else
			body.prepend(row);
		pin();
		updateCount();
	});
	// A 警報 (alert) not yet acknowledged stays on top of the list.
	const pin = () => {
		const alerts = [...body.querySelectorAll('tr')].filter(tr => {
			const it = items.get(Number(tr.dataset.id));
			return it && it.importance === 'alert' && !it.acknowledged_at;
		});
		for (const tr of alerts.reverse()) {
			tr.classList.add('pinned');
			body.prepend(tr);
		}
	};

	const load = async () => {
		try {
			await getAll(`/inbox${filter === 'all' ? '' : filter === 'drill' ? '?drill=all' : '?filter=' + filter}`, page => {
				const frag = document.createDocumentFragment();
				for (const it of page) {
					if (items.has(it.id))
						continue;
					items.set(it.id, it);
					frag.append(inboxRow(it, acknowledge));
				}
				body.append(frag);
				pin();
				if (!performance.getEntriesByName('inbox-first-page').length)
					performance.mark('inbox-first-page');
				updateCount();
			});
			table.setAttribute('aria-busy', 'false');
			el.dataset.ready = 'true';
			performance.mark('inbox-interactive');
			el.dataset.loadMs = String(Math.round(performance.now() - t0));
		} catch (e) {
			table.setAttribute('aria-busy', 'false');
			el.append(errorBox(errorText(e)));
		}
	};
	return { el, title: t('inbox.title'), name: 'inbox', cleanup: unsubscribe, after: load };
}
