// live.js: the inbox as server-sent events (GET /api/v1/inbox/stream).
// EventSource reconnects by itself and resumes with Last-Event-ID.
import { t } from './i18n.js';
import { toast } from './ui.js';

let es = null;
const listeners = new Set();

export function onEvent(fn) {
	listeners.add(fn);
	return () => listeners.delete(fn);
}

function dispatch(kind, ev) {
	let item = null;
	try {
		item = JSON.parse(ev.data);
	} catch {
		return;
	}
	for (const fn of listeners)
		fn(kind, item);
	const id = (item.drill != null ? t('live.drill_prefix') : '') + (item.identification_number || '');
	if (kind === 'delivered')
		toast(t('live.delivered', { id }), item.importance === 'alert' ? 'alert' : 'ok');
	else if (kind === 'updated')
		toast(t('live.updated', { id }));
	else if (kind === 'reminder')
		toast(t('live.reminder', { id }), 'warn');
	else if (kind === 'source_review')
		toast(t('live.source_review', { id }), 'warn');
	else if (kind === 'inquiry')
		toast(t('live.inquiry', { id }), 'warn');
	else if (kind === 'answer')
		toast(t('live.answer', { id }));
	else if (kind === 'returned')
		toast(t('live.returned', { id }), 'warn');
}

export function start() {
	stop();
	es = new EventSource('/api/v1/inbox/stream', { withCredentials: true });
	for (const kind of ['delivered', 'updated', 'reminder', 'source_review', 'inquiry', 'answer', 'returned'])
		es.addEventListener(kind, ev => dispatch(kind, ev));
	es.addEventListener('open', () => document.documentElement.dataset.live = 'open');
	es.addEventListener('error', () => document.documentElement.dataset.live = es && es.readyState === 2 ? 'closed' : 'reconnecting');
}

export function stop() {
	if (es) {
		es.close();
		es = null;
	}
	document.documentElement.dataset.live = 'off';
}
