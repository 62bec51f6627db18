// views/lists.js: 情報連絡 and 情報提供 lists and 検索 — Japanese full-text
// search (GET /search: ranked, with highlighted snippets; the lists' ?q=),
// filters by sector, event type, cause, TLP and period.  Filters live in the URL so a search can be shared or reloaded.
import { h } from '../dom.js';
import { getAll } from '../api.js';
import { t, fmtDate, parseJst, currentLang } from '../i18n.js';
import { SECTORS, EVENTS, CAUSES, TLPS, IMPORTANCE, labelKey } from '../spec.js';
import { tlpChip, impBadge, stateChip, pageHeader, errorBox } from '../ui.js';
import { errorText } from '../errors.js';

const FILTERS = {
	q: { type: 'text' },
	type: { type: 'select', values: ['report', 'advisory'], label: v => t(`search.type.${v}`) },
	sector: { type: 'select', values: SECTORS, label: v => t(`sector.${v}`), reports: true },
	event_type: { type: 'select', values: EVENTS, label: v => t(`rfv.event_type.${v}`), reports: true },
	cause: { type: 'select', values: CAUSES, label: v => t(`rfv.cause_types.${v}`), reports: true },
	tlp: { type: 'select', values: TLPS, label: v => `TLP:${t(`tlp.${v}.code`)}` },
	importance: { type: 'select', values: IMPORTANCE, label: v => t(`rfv.importance.${v}`) },
	from: { type: 'date' },
	to: { type: 'date' },
};

function filterBar(ctx, keys, base) {
	const q = ctx.query;
	const controls = {};
	const line = h('div.filters');
	for (const k of keys) {
		const f = FILTERS[k];
		const id = `flt-${k}`;
		let c;
		if (f.type === 'select') {
			c = h('select', { id, name: k }, h('option', { value: '' }, t('filter.any')), f.values.map(v => h('option', { value: v }, f.label(v))));
			c.value = q.get(k) || '';
		} else {
			c = h('input', { type: 'text', id, name: k, value: q.get(k) || '', placeholder: f.type === 'date' ? 'YYYY-MM-DD' : t('filter.q_placeholder'),
			    inputmode: f.type === 'date' ? 'numeric' : null, class: f.type === 'date' ? 'date' : 'q', 'aria-describedby': f.type === 'date' ? 'flt-date-hint' : null });
		}
		controls[k] = c;
		line.append(h(`div.filter.filter-${k}`, h('label', { for: id }, t(`filter.${k}`)), c));
	}
	const err = h('div.field-err', { role: 'alert', hidden: true, id: 'flt-err' });
	const form = h('form.filter-bar', { role: 'search', 'aria-label': t('filter.label'), on: { submit: ev => {
		ev.preventDefault();
		const p = new URLSearchParams();
		for (const [k, c] of Object.entries(controls)) {
			const v = c.value.trim();
			if (!v)
				continue;
			if (FILTERS[k].type === 'date' && !parseJst(v)) {
				err.textContent = t('err.date');
				err.hidden = false;
				c.focus();
				return;
			}
			p.set(k, v);
		}
		ctx.navigate(`${base}${p.toString() ? '?' + p : ''}`, { replace: true });
	} } }, line, h('div.filter-actions',
	    h('button.primary', { type: 'submit', id: 'flt-submit' }, t('filter.apply')),
	    h('a.button', { href: base }, t('filter.reset')),
	    keys.includes('from') ? h('span.hint', { id: 'flt-date-hint' }, t('filter.date_hint')) : null), err);
	return form;
}

// mine: the caller's own anonymised reports, which the server lists apart
// (?anonymised=mine) so that no audit entry puts them beside identified reads.
async function fetchReports(q, mine = false) {
	const p = new URLSearchParams();
	if (mine)
		p.set('anonymised', 'mine');
	if (q.get('sector'))
		p.set('sector', q.get('sector'));
	if (q.get('event_type'))
		p.set('event_type', q.get('event_type'));
	if (q.get('from'))
		p.set('since', parseJst(q.get('from')) || '');
	const text = q.get('q');
	const cause = q.get('cause');
	const base = p.toString();
	const url = extra => `/reports?${[base, extra].filter(Boolean).join('&')}`;
	let items;
	if (text && cause) {
		// The list has no cause filter: the cause id is a string in the form, so
		// ?q=<cause id> finds it; intersect with the text search.
		const [a, b] = await Promise.all([getAll(url('q=' + encodeURIComponent(text)), null, 1000), getAll(url('q=' + encodeURIComponent(cause)), null, 1000)]);
		const ids = new Set(b.map(x => x.id));
		items = a.filter(x => ids.has(x.id));
	} else {
		const qq = text || cause;
		items = await getAll(url(qq ? 'q=' + encodeURIComponent(qq) : ''), null, 1000);
	}
	const tlp = q.get('tlp'), imp = q.get('importance');
	const to = q.get('to') ? Date.parse(parseJst(q.get('to'))) + 86400000 : null;
	return items.filter(x => (!tlp || x.tlp === tlp) && (!imp || x.importance === imp) && (!to || Date.parse(x.updated_at) < to));
}

async function fetchAdvisories(ctx, q) {
	const nisc = ctx.me.org?.type === 'nisc';
	const items = await getAll(nisc ? '/advisories' : '/inbox', null, 2000);
	const text = (q.get('q') || '').toLowerCase();
	const tlp = q.get('tlp'), imp = q.get('importance');
	const from = q.get('from') ? Date.parse(parseJst(q.get('from'))) : null;
	const to = q.get('to') ? Date.parse(parseJst(q.get('to'))) + 86400000 : null;
	return items.filter(x => {
		const at = Date.parse(x.issued_at || x.delivered_at || '');
		return (!text || `${x.summary || ''} ${x.identification_number || ''}`.toLowerCase().includes(text)) &&
		    (!tlp || x.tlp === tlp) && (!imp || x.importance === imp) && (!from || at >= from) && (!to || at < to);
	});
}

// The CSV download of a list (GET /reports.csv, /advisories.csv; API.md):
// the page's filters the server takes, UTF-8 with a BOM for Excel, headers
// in the UI's language.  Advisories: the server filters by the period's
// start only; the page's other advisory filters narrow the page alone.
function csvQuery(q, reports) {
	const p = new URLSearchParams();
	if (reports) {
		for (const k of ['q', 'sector', 'event_type', 'cause', 'tlp', 'importance'])
			if (q.get(k))
				p.set(k, q.get(k));
		if (q.get('to') && parseJst(q.get('to')))
			p.set('until', new Date(Date.parse(parseJst(q.get('to'))) + 86400000 - 1000).toISOString().replace(/\.\d+Z$/, 'Z'));
	}
	if (q.get('from') && parseJst(q.get('from')))
		p.set('since', parseJst(q.get('from')));
	p.set('bom', '1');
	p.set('lang', currentLang() === 'en' ? 'en' : 'ja');
	return p.toString();
}

function csvLink(what, q) {
	return h('a.button', { href: `/api/v1/${what}.csv?${csvQuery(q, what === 'reports')}`, download: `${what}.csv`, id: `${what}-csv` }, t('list.download_csv'));
}

function reportsTable(items, id = 'reports-table') {
	if (!items.length)
		return h('p.muted.empty', t('list.none'));
	return h('table.list', { id },
	    h('thead', h('tr', ['ident', 'importance', 'tlp', 'sector', 'event', 'summary', 'state', 'updated'].map(c => h(`th.col-${c}`, { scope: 'col' }, t(`list.col.${c}`))))),
	    h('tbody', items.map(x => h('tr', { dataset: { id: String(x.id) } },
		h('td.ident', h('a', { href: `/reports/${x.id}` }, x.identification_number || t('report.no_r')), h('span.muted', ` ${t('sheet.nth', { n: x.version })}`)),
		h('td', impBadge(x.importance)), h('td', tlpChip(x.tlp)), h('td', t(`sector.${x.sector}`)),
		h('td', x.event_type ? t(`rfv.event_type.${x.event_type}`) : ''),
		h('td.summary', x.summary || h('span.muted', t('common.no_summary'))),
		h('td', stateChip(x.state)), h('td.date', fmtDate(x.updated_at))))));
}

function advisoriesTable(items, nisc) {
	if (!items.length)
		return h('p.muted.empty', t('list.none'));
	return h('table.list', { id: 'advisories-table' },
	    h('thead', h('tr', ['ident', 'importance', 'tlp', 'summary', 'state', 'issued', nisc ? 'delivery' : 'ack'].map(c => h(`th.col-${c}`, { scope: 'col' }, t(`list.col.${c}`))))),
	    h('tbody', items.map(x => h('tr', { dataset: { id: String(x.id) } },
		h('td.ident', h('a', { href: `/advisories/${x.id}` }, x.identification_number || t('adv.no_number'))),
		h('td', impBadge(x.importance), x.urgent ? h('span.urgent', t('adv.urgent_badge')) : null), h('td', tlpChip(x.tlp)),
		h('td.summary', x.summary || h('span.muted', t('common.no_summary'))),
		h('td', h(`span.state.state-${x.state}`, t(`advstate.${x.state}`))), h('td.date', fmtDate(x.issued_at)),
		h('td', nisc ? (x.delivery_summary ? t('delivery.summary_short', { d: x.delivery_summary.delivered, r: x.delivery_summary.read, a: x.delivery_summary.acknowledged }) : '')
		    : (x.acknowledged_at ? t('inbox.acked_at', { at: fmtDate(x.acknowledged_at) }) : t('delivery.not_yet')))))));
}

function resultsSection(id, title, promise, render) {
	const sec = h('section.panel', { 'aria-labelledby': `${id}-h`, 'aria-busy': 'true', id },
	    h('h2', { id: `${id}-h` }, title), h('p.loading', t('common.loading')));
	promise.then(items => {
		sec.querySelector('.loading')?.remove();
		sec.querySelector('h2').append(h('span.count', ` ${t('list.count', { n: items.length })}`));
		sec.append(render(items));
	}).catch(e => {
		sec.querySelector('.loading')?.remove();
		sec.append(errorBox(errorText(e)));
	}).finally(() => sec.setAttribute('aria-busy', 'false'));
	return sec;
}

export async function reportsListView(ctx) {
	const title = t('reports.title');
	const canFile = ctx.me.org?.type === 'ci_operator';
	const el = h('div.list-page',
	    pageHeader(title, canFile ? h('a.button.primary', { href: '/reports/new', id: 'new-report' }, t('reports.new')) : null, csvLink('reports', ctx.query)),
	    filterBar(ctx, ['q', 'sector', 'event_type', 'cause', 'tlp', 'importance', 'from', 'to'], '/reports'),
	    resultsSection('reports-results', t('reports.results'), fetchReports(ctx.query), items => reportsTable(items)),
	    canFile ? resultsSection('reports-mine-anon', t('reports.mine_anon'), fetchReports(ctx.query, true), items => reportsTable(items, 'reports-mine-anon-table')) : null);
	return { el, title, name: 'reports' };
}

export async function advisoriesListView(ctx) {
	const title = t('advisories.title');
	const nisc = ctx.me.org?.type === 'nisc';
	const el = h('div.list-page',
	    pageHeader(title, nisc ? h('a.button.primary', { href: '/advisories/new', id: 'new-advisory' }, t('advisories.new')) : null, csvLink('advisories', ctx.query)),
	    h('p.lead', t(nisc ? 'advisories.lead_nisc' : 'advisories.lead')),
	    filterBar(ctx, ['q', 'tlp', 'importance', 'from', 'to'], '/advisories'),
	    resultsSection('advisories-results', t('advisories.results'), fetchAdvisories(ctx, ctx.query), items => advisoriesTable(items, nisc)));
	return { el, title, name: 'advisories' };
}

// GET /search: ranked hits of both kinds (every version the caller reads),
// then the sector and TLP filters, which the server's search does not take.
async function fetchSearch(q) {
	const p = new URLSearchParams({ q: q.get('q') });
	if (q.get('type'))
		p.set('type', q.get('type'));
	const items = await getAll(`/search?${p}`, null, 1000);
	const sector = q.get('sector'), tlp = q.get('tlp');
	return items.filter(x => (!sector || x.sector === sector || (x.sectors || []).includes(sector)) && (!tlp || x.tlp === tlp));
}

// A snippet's text with each highlight (code point spans) in a <mark>: built
// here, the server sends no markup.
function snippetText(sn) {
	const cps = [...(sn.text || '')];
	const parts = [];
	let at = 0;
	for (const x of [...(sn.highlights || [])].sort((a, b) => a.start - b.start)) {
		if (x.start < at || x.end > cps.length)
			continue;
		parts.push(cps.slice(at, x.start).join(''), h('mark', cps.slice(x.start, x.end).join('')));
		at = x.end;
	}
	parts.push(cps.slice(at).join(''));
	return parts;
}

function hitsList(items) {
	if (!items.length)
		return h('p.muted.empty', t('list.none'));
	return h('ol.search-hits', { id: 'search-hits' }, items.map(x => {
		const report = x.type === 'report';
		const kind = report ? 'rf' : 'af';
		return h('li.hit', { dataset: { type: x.type, id: String(x.id) } },
		    h('p.hit-head',
			h('span.hit-type', t(`search.type.${x.type}`)), ' ',
			h('a', { href: `/${report ? 'reports' : 'advisories'}/${x.id}` }, x.identification_number || (report ? t('report.no_r') : t('adv.no_number'))), ' ',
			tlpChip(x.tlp), ' ',
			h('span.hit-sector', report ? t(`sector.${x.sector}`) : (x.sectors || []).map(s => t(`sector.${s}`)).join('・')), ' ',
			h('span.hit-rank.muted', t('search.rank', { n: x.rank }))),
		    h('p.summary', x.summary || h('span.muted', t('common.no_summary'))),
		    (x.snippets || []).map(sn => h('div.snippet', { dataset: { version: String(sn.version), field: sn.field } },
			h('span.snippet-where.muted', `${report ? t('sheet.nth', { n: sn.version }) : t('search.adv_version', { n: sn.version })} ${t(labelKey(kind, String(sn.field || '').split('.').slice(1).filter(s => !/^\d+$/.test(s)).join('.')))}`),
			h('p.snippet-text', ...snippetText(sn)))));
	}));
}

export async function searchView(ctx) {
	const title = t('search.title');
	const q = ctx.query;
	const text = (q.get('q') || '').trim();
	const el = h('div.list-page',
	    pageHeader(title),
	    h('p.lead', t('search.lead')),
	    filterBar(ctx, ['q', 'type', 'sector', 'tlp'], '/search'),
	    text ? resultsSection('search-results', t('search.results'), fetchSearch(q), items => hitsList(items)) : h('p.muted', t('search.hint')),
	    text && ctx.me.org?.type === 'ci_operator' && q.get('type') !== 'advisory' ? resultsSection('search-reports-mine-anon', t('reports.mine_anon'), fetchReports(q, true), items => reportsTable(items, 'search-mine-anon-table')) : null);
	return { el, title, name: 'search', after: () => document.getElementById('flt-q')?.focus() };
}

