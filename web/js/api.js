// api.js: the one way the UI talks to cishared — the same /api/v1 the CLI
// uses.  The session cookie (HttpOnly, SameSite=Strict) rides along on its
// own; every state-changing request echoes the CSRF token in X-CSRF-Token.

let csrf = null;
let onUnauthenticated = () => {};

export function setCsrf(token) {
	csrf = token;
}

export function onAuthLost(fn) {
	onUnauthenticated = fn;
}

export class ApiError extends Error {
	constructor(status, body) {
		const e = (body && body.error) || {};
		super(e.message || `HTTP ${status}`);
		this.status = status;
		this.code = e.code || (status === 0 ? 'network' : 'internal_error');
		this.field = e.field || '';
		this.serverMessage = e.message || '';
	}
}

export async function api(method, path, body, opts = {}) {
	const headers = { Accept: 'application/json' };
	if (body !== undefined)
		headers['Content-Type'] = 'application/json';
	if (method !== 'GET' && method !== 'HEAD' && csrf)
		headers['X-CSRF-Token'] = csrf;
	let resp;
	try {
		resp = await fetch('/api/v1' + path, {
			method,
			headers,
			credentials: 'same-origin',
			cache: 'no-store',
			body: body !== undefined ? JSON.stringify(body) : undefined,
		});
	} catch (err) {
		throw new ApiError(0, { error: { code: 'network', message: String(err) } });
	}
	let data = null;
	const text = await resp.text();
	if (text) {
		try {
			data = JSON.parse(text);
		} catch {
			data = null;
		}
	}
	if (!resp.ok) {
		const err = new ApiError(resp.status, data);
		if (resp.status === 401 && !opts.noAuthRedirect)
			onUnauthenticated(err);
		throw err;
	}
	return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body === undefined ? {} : body, opts);

// Every page of a list (limit 500 a page), newest first.  onPage(items) is
// called as each page arrives so a view can render before the last one.
export async function getAll(path, onPage, max = 5000) {
	const sep = path.includes('?') ? '&' : '?';
	let cursor = null;
	const all = [];
	do {
		const page = await get(`${path}${sep}limit=500${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
		all.push(...page.items);
		if (onPage)
			onPage(page.items, all);
		cursor = page.next_cursor;
	} while (cursor && all.length < max);
	return all;
}

// Organisations (names for ids everywhere), cached per session.
let orgCache = null;
export async function orgs(refresh = false) {
	if (!orgCache || refresh) {
		const items = await getAll('/orgs');
		orgCache = new Map(items.map(o => [o.id, o]));
	}
	return orgCache;
}

export function resetCaches() {
	orgCache = null;
}

// A file as the raw body of a POST (attachments, 別紙): its own type, the
// CSRF token; the JSON answer.
export async function upload(path, file) {
	const headers = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' };
	if (csrf)
		headers['X-CSRF-Token'] = csrf;
	let resp;
	try {
		resp = await fetch('/api/v1' + path, { method: 'POST', headers, credentials: 'same-origin', cache: 'no-store', body: file });
	} catch (err) {
		throw new ApiError(0, { error: { code: 'network', message: String(err) } });
	}
	let data = null;
	try {
		data = JSON.parse(await resp.text());
	} catch {
		data = null;
	}
	if (!resp.ok) {
		const err = new ApiError(resp.status, data);
		if (resp.status === 401)
			onUnauthenticated(err);
		throw err;
	}
	return data;
}
