// app.js: the shell (header, left navigation, main), the session and the
// router.  Every page path without a dot is served index.html by cishared,
// so history-API URLs work on reload.
import { h, clear } from './dom.js';
import { get, api, setCsrf, onAuthLost, orgs, resetCaches } from './api.js';
import { t, loadLang, currentLang } from './i18n.js';
import { setToastRegion, toast, loading, errorBox } from './ui.js';
import { errorText, serverDetail } from './errors.js';
import * as live from './live.js';
import { loginView } from './views/login.js';
import { inboxView } from './views/inbox.js';
import { reportNewView, reportFollowupView } from './views/report-form.js';
import { reportDetailView } from './views/report-detail.js';
import { advisoryNewView, advisoryFollowupView } from './views/advisory-form.js';
import { advisoryDetailView } from './views/advisory-detail.js';
import { reportsListView, advisoriesListView, searchView } from './views/lists.js';
import { reportPrintView, advisoryPrintView } from './views/print.js';
import { adminView } from './views/admin.js';
import { statsView, publicStatsView } from './views/stats.js';
import { situationView, modeText } from './views/situation.js';
import { councilView } from './views/council.js';
import { drillsView } from './views/drills.js';
import { exercisesView } from './views/exercises.js';
import { interopView } from './views/interop.js';
import { correlationsView } from './views/correlations.js';
import { surveysView, surveyView, surveyProgressView, surveyResultsView } from './views/surveys.js';
import { risksView } from './views/risks.js';
import { tasksView, taskBadge, resetTaskBadges, refreshTasks } from './views/tasks.js';
import { auditView } from './views/audit.js';
import { peersView } from './views/peers.js';
import { accountView } from './views/account.js';
import { retentionView } from './views/retention.js';

const routes = [
	[/^\/login$/, loginView, { public: true }],
	[/^\/(?:inbox)?$/, inboxView, { nav: 'inbox' }],
	[/^\/reports$/, reportsListView, { nav: 'reports' }],
	[/^\/reports\/new$/, reportNewView, { nav: 'reports' }],
	[/^\/reports\/(\d+)$/, reportDetailView, { nav: 'reports' }],
	[/^\/reports\/(\d+)\/followup$/, reportFollowupView, { nav: 'reports' }],
	[/^\/reports\/(\d+)\/print$/, reportPrintView, { nav: 'reports', print: true }],
	[/^\/advisories$/, advisoriesListView, { nav: 'advisories' }],
	[/^\/advisories\/new$/, advisoryNewView, { nav: 'advisories' }],
	[/^\/advisories\/(\d+)$/, advisoryDetailView, { nav: 'advisories' }],
	[/^\/advisories\/(\d+)\/followup$/, advisoryFollowupView, { nav: 'advisories' }],
	[/^\/advisories\/(\d+)\/print$/, advisoryPrintView, { nav: 'advisories', print: true }],
	[/^\/search$/, searchView, { nav: 'search' }],
	[/^\/admin$/, adminView, { nav: 'admin' }],
	[/^\/stats$/, statsView, { nav: 'stats' }],
	[/^\/situation$/, situationView, { nav: 'situation' }],
	[/^\/council$/, councilView, { nav: 'council' }],
	[/^\/drills$/, drillsView, { nav: 'drills' }],
	[/^\/exercises$/, exercisesView, { nav: 'exercises' }],
	[/^\/public\/stats$/, publicStatsView, { public: true }],
	[/^\/interop$/, interopView, { nav: 'interop' }],
	[/^\/correlations$/, correlationsView, { nav: 'correlations' }],
	[/^\/surveys$/, surveysView, { nav: 'surveys' }],
	[/^\/surveys\/(\d+)$/, surveyView, { nav: 'surveys' }],
	[/^\/surveys\/(\d+)\/progress$/, surveyProgressView, { nav: 'surveys' }],
	[/^\/surveys\/(\d+)\/results$/, surveyResultsView, { nav: 'surveys' }],
	[/^\/risks$/, risksView, { nav: 'risks' }],
	[/^\/tasks$/, tasksView, { nav: 'tasks' }],
	[/^\/audit$/, auditView, { nav: 'audit' }],
	[/^\/peers$/, peersView, { nav: 'peers' }],
	[/^\/account$/, accountView, { nav: 'account' }],
	[/^\/retention$/, retentionView, { nav: 'retention' }],
];

const NAV = [
	['inbox', '/inbox', 'nav.inbox'],
	['reports', '/reports', 'nav.reports'],
	['advisories', '/advisories', 'nav.advisories'],
	['search', '/search', 'nav.search'],
	['stats', '/stats', 'nav.stats'],
	// 別紙４－２: the situation board's readers (core/authz.c situation.read)
	['situation', '/situation', 'nav.situation', ['nisc', 'cas_crisis_management', 'incident_response_ministry', 'disaster_management_ministry', 'ci_ministry']],
	// the CEPTOAR council space: CEPTOARs, and government organisations it shares with
	['council', '/council', 'nav.council', ['ceptoar_secretariat', 'nisc', 'cas_crisis_management', 'ci_ministry', 'cybersecurity_ministry', 'incident_response_ministry', 'disaster_management_ministry', 'cybersecurity_agency']],
	['drills', '/drills', 'nav.drills', ['nisc']],
	// exercises: NISC facilitates; any organisation may be a participant
	['exercises', '/exercises', 'nav.exercises'],
	['interop', '/interop', 'nav.interop'],
	// NISC's queue of observables seen in several sectors
	['correlations', '/correlations', 'nav.correlations', ['nisc']],
	['admin', '/admin', 'nav.admin'],
	// the yearly self-assessment survey: NISC runs it, operators answer, ministries follow
	['surveys', '/surveys', 'nav.surveys', ['nisc', 'ci_ministry', 'ci_operator']],
	// the risk workspace: operators keep theirs; NISC and ministries read what is shared
	['risks', '/risks', 'nav.risks', ['ci_operator', 'nisc', 'ci_ministry']],
	// one to-do list per user (issue 15): its count is also on the inbox
	['tasks', '/tasks', 'nav.tasks'],
	// the audit log: admins (the platform's) and NISC
	['audit', '/audit', 'nav.audit', ['nisc', 'platform']],
	// federation peers: the admins keep them, NISC reads them and what they sent
	['peers', '/peers', 'nav.peers', ['platform', 'nisc']],
	// the account's security: the TOTP second factor (issue 16)
	['account', '/account', 'nav.account'],
	// retention: the policy and what the next purge removes, for the admins
	['retention', '/retention', 'nav.retention', ['platform']],
];

const session = { me: null, csrf: null };
let renderSeq = 0;
let cleanup = null;
let unreadBadge = null;

export function me() {
	return session.me;
}

export function navigate(path, { replace = false } = {}) {
	if (replace)
		history.replaceState(null, '', path);
	else
		history.pushState(null, '', path);
	render();
}

export function setUnread(n) {
	if (!unreadBadge)
		return;
	unreadBadge.hidden = !n;
	unreadBadge.textContent = n > 499 ? '500+' : String(n || '');
	unreadBadge.setAttribute('aria-label', t('nav.unread_n', { n }));
}

export function bumpUnread(delta) {
	if (!unreadBadge)
		return;
	const cur = Number(unreadBadge.textContent.replace('+', '')) || 0;
	setUnread(Math.max(0, cur + delta));
}

export async function signedIn(data) {
	session.me = data.me;
	session.csrf = data.csrf;
	setCsrf(data.csrf);
	resetCaches();
	live.start();
}

// msg: the toast instead of "logged out" (a click passes an event).
async function signOut(msg) {
	try {
		await api('DELETE', '/session', undefined, { noAuthRedirect: true });
	} catch {
		// already gone: fine
	}
	live.stop();
	session.me = null;
	setCsrf(null);
	resetCaches();
	sessionStorage.clear();
	navigate('/login', { replace: true });
	toast(typeof msg === 'string' ? msg : t('login.logged_out'));
}

function shell(active) {
	const app = document.getElementById('app');
	clear(app);
	const m = session.me;
	const main = h('main', { id: 'main', tabindex: '-1' });
	const toasts = h('div.toasts', { 'aria-live': 'polite', role: 'status', id: 'toasts' });
	setToastRegion(toasts);
	const langBtn = h('button.lang-toggle', {
		type: 'button', id: 'lang-toggle', lang: currentLang() === 'ja' ? 'en' : 'ja',
		'aria-label': t('header.lang_aria'),
		on: { click: async () => { await loadLang(currentLang() === 'ja' ? 'en' : 'ja'); render(); } },
	}, currentLang() === 'ja' ? 'English' : '日本語');
	app.append(h('a.skip-link', { href: '#main' }, t('app.skip')));
	if (!m) {
		app.append(h('header.app-header.public', h('div.brand', h('span.brand-name', 'cishare'), h('span.brand-sub', t('app.subtitle'))),
		    h('div.header-right', langBtn)), main, toasts);
		app.dataset.state = 'public';
		return main;
	}
	unreadBadge = h('span.badge', { hidden: true, id: 'unread-badge' });
	resetTaskBadges();
	const badges = { inbox: () => [unreadBadge, taskBadge('inbox-task-badge')], tasks: () => [taskBadge('task-badge')] };
	const nav = h('nav.app-nav', { 'aria-label': t('nav.label') },
	    h('ul', NAV.filter(([, , , types]) => !types || types.includes(m.org?.type)).map(([key, href, label]) => h('li', h('a', { href, 'aria-current': key === active ? 'page' : null, dataset: { nav: key } },
		h('span', t(label)), badges[key] ? badges[key]() : null)))));
	refreshTasks();
	const roles = (m.roles || []).map(r => t(`role.${r}`)).join('・');
	app.append(
	    h('header.app-header',
		h('div.brand', h('span.brand-name', 'cishare'), h('span.brand-sub', t('app.subtitle'))),
		h('div.header-right',
		    h('div.who', { id: 'who' },
			h('span.who-name', m.user?.display_name || m.login),
			h('span.who-org', m.org?.name || ''),
			h('span.who-roles', roles)),
		    langBtn,
		    h('button.logout', { type: 'button', id: 'logout', on: { click: signOut } }, t('header.logout')))),
	    h('div.mode-banner', { id: 'mode-banner', role: 'status', hidden: true }),
	    h('div.app-body', nav, main),
	    toasts);
	app.dataset.state = 'ready';
	return main;
}

let focusMemo = null;
let lastPath = null;

async function render() {
	const seq = ++renderSeq;
	focusMemo = { path: lastPath, id: document.activeElement?.id || null };
	lastPath = location.pathname;
	if (cleanup) {
		try {
			cleanup();
		} catch {
			// a view's cleanup must not break navigation
		}
		cleanup = null;
	}
	const url = new URL(location.href);
	let path = url.pathname.replace(/\/+$/, '') || '/';
	let route = routes.find(([re]) => re.test(path));
	if (!route) {
		const main = shell(null);
		main.append(errorBox(t('err.no_page')));
		return;
	}
	if (!route[2].public && !session.me) {
		navigate('/login?next=' + encodeURIComponent(url.pathname + url.search), { replace: true });
		return;
	}
	if (route[2].public && session.me && path === '/login') {
		navigate('/inbox', { replace: true });
		return;
	}
	const [re, view, meta] = route;
	const params = re.exec(path).slice(1);
	const main = shell(meta.nav);
	document.body.classList.toggle('print-page', !!meta.print);
	main.append(loading());
	const ctx = { me: session.me, navigate, params, query: url.searchParams, signedIn, signOut, setUnread, bumpUnread };
	let out;
	try {
		if (session.me && path !== '/account') {
			[ctx.orgs, ctx.mode] = await Promise.all([orgs(), get('/modes').then(m => m.large_scale).catch(() => null)]);
			// The large-scale mode is shown on every page while it is on.
			const banner = document.getElementById('mode-banner');
			if (banner && ctx.mode) {
				banner.textContent = modeText(ctx.mode);
				banner.hidden = false;
			}
		}
		out = await view(ctx);
	} catch (err) {
		if (seq !== renderSeq)
			return;
		// --require-totp: nothing but enrolling until a second factor is on.
		if (err.field === 'totp' && path !== '/account') {
			navigate('/account', { replace: true });
			return;
		}
		clear(main);
		main.append(errorBox(err.status === 404 ? t('err.not_found_item') : errorText(err), err.status === 404 ? null : serverDetail(err)));
		document.title = `${t('err.title')} — cishare`;
		main.dataset.view = 'error';
		return;
	}
	if (seq !== renderSeq) {
		out?.cleanup?.();
		return;
	}
	clear(main);
	main.append(out.el);
	main.dataset.view = out.name || '';
	cleanup = out.cleanup || null;
	document.title = `${out.title} — cishare`;
	// Same page again (a filter, the language): keep the keyboard where it was;
	// a new page: move focus to its heading so screen readers announce it.
	const again = focusMemo && focusMemo.path === url.pathname && focusMemo.id && document.getElementById(focusMemo.id);
	if (again)
		again.focus({ preventScroll: true });
	else
		main.querySelector('#page-title')?.focus({ preventScroll: true });
	out.after?.();
}

function interceptLinks() {
	document.addEventListener('click', ev => {
		if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey)
			return;
		const a = ev.target.closest('a[href]');
		if (!a || a.target || a.hasAttribute('download'))
			return;
		const href = a.getAttribute('href');
		if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/'))
			return;
		ev.preventDefault();
		navigate(href);
	});
	window.addEventListener('popstate', render);
}

async function boot() {
	await loadLang();
	interceptLinks();
	onAuthLost(() => {
		if (!session.me)
			return;
		live.stop();
		session.me = null;
		toast(t('err.session_expired'), 'warn');
		navigate('/login?next=' + encodeURIComponent(location.pathname), { replace: true });
	});
	try {
		const s = await get('/session', { noAuthRedirect: true });
		await signedIn(s);
	} catch {
		session.me = null;
	}
	await render();
	// The inbox view keeps the exact count itself; elsewhere count arrivals.
	// A drill's delivery never counts in the production badge (issue 13).
	live.onEvent((kind, item) => {
		if (kind === 'delivered' && item?.drill == null && document.getElementById('main')?.dataset.view !== 'inbox')
			bumpUnread(1);
		refreshTasks();
	});
}

boot();
