// i18n.js: message catalogues (web/i18n/ja.json, en.json), Japanese first;
// dates as the 様式 asks: Western year, 24-hour clock, JST.

const STORE_KEY = 'cishare.lang';
let lang = 'ja';
let cat = {};
const listeners = new Set();

export function currentLang() {
	return lang;
}

export async function loadLang(want) {
	let l = want || localStorage.getItem(STORE_KEY) || 'ja';
	if (l !== 'ja' && l !== 'en')
		l = 'ja';
	const resp = await fetch(`/i18n/${l}.json`, { credentials: 'same-origin' });
	cat = await resp.json();
	lang = l;
	localStorage.setItem(STORE_KEY, l);
	document.documentElement.lang = l;
	for (const fn of listeners)
		fn(l);
}

export function onLangChange(fn) {
	listeners.add(fn);
}

// t(KEY, {name: value}) — a missing key shows itself (and check-i18n fails
// the build for literal keys, so this only happens for dynamic ones).
export function t(key, params) {
	let s = cat[key];
	if (s === undefined) {
		console.warn('i18n: missing key', key);
		s = key;
	}
	if (params)
		s = s.replace(/\{([A-Za-z0-9_]+)\}/g, (m, p) => (params[p] !== undefined ? String(params[p]) : m));
	return s;
}

export function has(key) {
	return cat[key] !== undefined;
}

// ---- dates: JST, YYYY-MM-DD HH:MM ----------------------------------------

const JST_MS = 9 * 3600 * 1000;
const pad = n => String(n).padStart(2, '0');

function jstParts(iso) {
	if (!iso)
		return null;
	const ms = Date.parse(iso);
	if (Number.isNaN(ms))
		return null;
	const d = new Date(ms + JST_MS);
	return {
		y: d.getUTCFullYear(), mo: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()),
		h: pad(d.getUTCHours()), mi: pad(d.getUTCMinutes()),
	};
}

// "2026-11-21T13:15:00+09:00" -> "2026-11-21 13:15" (JST); '' for none.
export function fmtDate(iso) {
	const p = jstParts(iso);
	return p ? `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}` : '';
}

export function fmtDateJst(iso) {
	const s = fmtDate(iso);
	return s ? `${s} JST` : '';
}

export function fmtDay(iso) {
	const p = jstParts(iso);
	return p ? `${p.y}-${p.mo}-${p.d}` : '';
}

// The paper form's parts: 年 月 日 時 分.
export function dateParts(iso) {
	return jstParts(iso);
}

// "YYYY-MM-DD HH:MM" (JST, as typed) -> RFC 3339 with +09:00; null if malformed.
export function parseJst(text) {
	const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?\s*$/.exec(text || '');
	if (!m)
		return null;
	const [y, mo, d, hh = '0', mi = '00'] = m.slice(1);
	const iso = `${y}-${pad(mo)}-${pad(d)}T${pad(hh)}:${mi}:00+09:00`;
	const ms = Date.parse(iso);
	if (Number.isNaN(ms))
		return null;
	// Reject 2026-02-31 and 25:00, which Date would roll over.
	const p = jstParts(iso);
	if (p.y !== Number(y) || Number(p.mo) !== Number(mo) || Number(p.d) !== Number(d) ||
	    Number(p.h) !== Number(hh) || p.mi !== mi)
		return null;
	return iso;
}

export function nowJst() {
	return fmtDate(new Date().toISOString());
}

// Seconds -> "12秒" / "3分5秒" / "2時間4分".
export function fmtDuration(s) {
	if (s == null)
		return '';
	s = Math.max(0, Math.round(s));
	if (s < 60)
		return t('dur.s', { s });
	if (s < 3600)
		return t('dur.ms', { m: Math.floor(s / 60), s: s % 60 });
	return t('dur.hm', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}
