// views/tasks.js: やること — one to-do list per user (GET /tasks): reports
// waiting for my forward, NISC's received reports not done (未処理/担当),
// consents waiting for my decision, advisories waiting for my approval,
// source review, relay or acknowledgement (overdue ones first), inquiries
// and questions to answer.  Each item links to its page by R-/T-number;
// the navigation badge shows the same count (refreshTasks).
import { h } from '../dom.js';
import { get } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { pageHeader, impBadge, errorBox } from '../ui.js';
import { errorText } from '../errors.js';

// The order the list shows the kinds in: the most urgent first.
const ORDER = ['ack_overdue', 'approval', 'source_review', 'consent', 'report_forward', 'report_triage',
	'inquiry', 'question', 'relay', 'acks_overdue', 'ack'];

let badgeEls = [];

export function taskBadge(id) {
	const b = h('span.badge.task-badge', { hidden: true, id, title: t('tasks.badge_title') });
	badgeEls.push(b);
	return b;
}

export function resetTaskBadges() {
	badgeEls = [];
}

function showCount(n) {
	for (const b of badgeEls) {
		b.hidden = !n;
		b.textContent = n > 99 ? '99+' : String(n || '');
		b.setAttribute('aria-label', t('tasks.badge_n', { n }));
	}
}

// Refresh the badges' count (on every page and after each live event).
export async function refreshTasks() {
	try {
		const r = await get('/tasks');
		showCount(r.count);
		// The inbox's panel, when it is on the page, follows the count.
		const list = document.getElementById('inbox-tasks') || document.getElementById('inbox-tasks-empty');
		if (list)
			list.replaceWith(tasksList(r.items.slice(0, 20), 'inbox-tasks'));
		return r;
	} catch {
		return null;
	}
}

export function taskLabel(x) {
	if (x.label)
		return x.label;
	return t('report.no_r');
}

function sortTasks(items) {
	const rank = k => { const i = ORDER.indexOf(k); return i < 0 ? ORDER.length : i; };
	return [...items].sort((a, b) => rank(a.kind) - rank(b.kind) ||
	    (b.importance === 'alert') - (a.importance === 'alert') || String(a.since).localeCompare(String(b.since)));
}

export function tasksList(items, id = 'task-list') {
	if (!items.length)
		return h('p.muted.empty', { id: `${id}-empty` }, t('tasks.none'));
	return h('ul.plain.tasks', { id }, sortTasks(items).map(x => h('li.task', {
		dataset: { kind: x.kind, item: x.item, id: String(x.id) }, class: x.kind === 'ack_overdue' || x.kind === 'acks_overdue' ? 'overdue' : '' },
	    h('span.task-kind', t(`tasks.kind.${x.kind}`)), ' ',
	    x.importance ? impBadge(x.importance) : null, ' ',
	    h('a', { href: x.link }, taskLabel(x)),
	    x.state ? h('span', { class: `state triage-${x.state}` }, ` ${t(`triage.${x.state}`)}`) : null,
	    x.count ? h('span.muted', ` ${t('tasks.n_orgs', { n: x.count })}`) : null,
	    h('span.muted.date', ` ${t('tasks.since', { at: fmtDate(x.since) })}`))));
}

export async function tasksView() {
	const r = await get('/tasks');
	showCount(r.count);
	const el = h('div.tasks-page',
	    pageHeader(t('tasks.title'), h('span.count', { id: 'tasks-count' }, t('tasks.count', { n: r.count }))),
	    h('section.panel', { 'aria-labelledby': 'page-title' }, tasksList(r.items)));
	return { el, title: t('tasks.title'), name: 'tasks' };
}

// A panel of the same list for the inbox page (loads after the page).
export function tasksPanel() {
	const box = h('section.panel', { id: 'tasks-panel', 'aria-labelledby': 'tasks-panel-h' },
	    h('h2', { id: 'tasks-panel-h' }, t('tasks.title'), ' ', h('a.small', { href: '/tasks' }, t('tasks.open_all'))),
	    h('p.loading', t('common.loading')));
	refreshTasks().then(r => {
		box.querySelector('.loading')?.remove();
		if (!r) {
			box.append(errorBox(errorText({ code: 'network' })));
			return;
		}
		box.append(tasksList(r.items.slice(0, 20), 'inbox-tasks'));
	});
	return box;
}
