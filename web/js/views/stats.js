// views/stats.js: 統計 — counts of the reports the user may read (GET /stats),
// grouped as chosen, as a table with bars and a CSV download (UTF-8 with a
// BOM, for Excel); the public page (/public/stats, no login) shows NISC's
// TLP:CLEAR figures.  Cells with too few reporting organisations are
// suppressed by the server (for all but NISC) and said so here.
import { h, clear } from '../dom.js';
import { get } from '../api.js';
import { t, currentLang } from '../i18n.js';
import { valueKey, serviceName } from '../spec.js';
import { pageHeader } from '../ui.js';

const DIMS = ['sector', 'event_type', 'cause', 'route', 'tlp', 'month', 'quarter', 'fiscal_year'];

// The label of a cell value in the UI's language.
function valueLabel(dim, v) {
	if (v == null)
		return t('stats.none');
	switch (dim) {
	case 'sector':
		return t(`sector.${v}`);
	case 'event_type':
		return t(valueKey('rf', 'event_type', v));
	case 'cause':
		return t(valueKey('rf', 'cause_types', v));
	case 'route':
		return t(`route.${v}`);
	case 'tlp':
		return `TLP:${t(`tlp.${v}.code`)}`;
	case 'service':
		return serviceName(v);
	default:
		return String(v);
	}
}

// The first day of this fiscal year (April), Japan time, as YYYY-MM-DD.
function fiscalStart() {
	const now = new Date(Date.now() + 9 * 3600 * 1000);
	const y = now.getUTCMonth() + 1 >= 4 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
	return `${y}-04-01`;
}

// A bar of pct % (CSSOM, not a style attribute: the CSP allows no inline style).
function bar(pct) {
	const el = h('span.bar');
	el.style.width = `${Math.round(pct)}%`;
	return el;
}

function csvCell(s) {
	const v = String(s);
	// A leading = + - @ would be a formula in a spreadsheet.
	const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function download(name, text) {
	const blob = new Blob(['\ufeff' + text], { type: 'text/csv;charset=utf-8' });
	const a = h('a', { href: URL.createObjectURL(blob), download: name });
	document.body.append(a);
	a.click();
	setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// A duration in seconds, in words (分, 時間, 日).
function dur(s) {
	if (s == null)
		return '—';
	if (s < 3600)
		return t('stats.dur_min', { n: Math.max(0, Math.round(s / 60)) });
	if (s < 86400)
		return t('stats.dur_h', { h: Math.floor(s / 3600), m: Math.round((s % 3600) / 60) });
	return t('stats.dur_d', { n: (s / 86400).toFixed(1) });
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...kids) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs))
		el.setAttribute(k, String(v));
	for (const k of kids)
		el.append(k);
	return el;
}

// Vertical bars, one per (label, count): the fiscal year's months.
function monthChart(cells) {
	const W = 640, H = 200, pad = 28, n = Math.max(cells.length, 1);
	const max = Math.max(1, ...cells.map(c => c.count));
	const bw = (W - 2 * pad) / n;
	const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': t('stats.chart_months'), class: 'stats-chart', id: 'stats-month-chart' });
	cells.forEach((c, i) => {
		const bh = (H - 2 * pad) * c.count / max;
		const x = pad + i * bw + 4, y = H - pad - bh;
		chart.append(svg('rect', { x, y, width: Math.max(bw - 8, 2), height: bh, class: 'chart-bar', 'data-month': c.label },
		    svg('title', {}, `${c.label}: ${c.count}`)),
		    svg('text', { x: x + (bw - 8) / 2, y: H - pad + 14, 'text-anchor': 'middle', class: 'chart-label' }, c.label.slice(5)),
		    svg('text', { x: x + (bw - 8) / 2, y: y - 4, 'text-anchor': 'middle', class: 'chart-value' }, String(c.count)));
	});
	chart.append(svg('line', { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, class: 'chart-axis' }));
	return chart;
}

// The dashboard (NISC's, a ministry's, anyone's: what the reader may read):
// this fiscal year's count, the times to the R-number and to an advisory,
// and the months as a chart.
async function dashboard(me) {
	const since = `${fiscalStart()}T00:00:00+09:00`;
	const [months, sectors] = await Promise.all([
		get(`/stats?${new URLSearchParams({ group: 'month', since })}`),
		get(`/stats?${new URLSearchParams({ group: 'sector', since })}`)]);
	const tm = months.timings;
	const kind = me?.org?.type === 'nisc' ? 'nisc' : /ministry$/.test(me?.org?.type || '') ? 'ministry' : 'org';
	const card = (id, label, value, note) => h('div.kpi', { id }, h('div.kpi-label', label), h('div.kpi-value', value), note ? h('div.kpi-note', note) : null);
	const max = Math.max(1, ...sectors.cells.map(c => c.count));
	return h('section.panel.dashboard', { id: 'stats-dashboard' },
	    h('h2', t(`stats.dash_${kind}`)),
	    h('div.kpis',
		card('kpi-total', t('stats.kpi_total'), t('stats.kpi_count', { n: months.total })),
		card('kpi-to-r', t('stats.kpi_to_r'), tm ? dur(tm.to_r_number.median_s) : '—',
		    tm && tm.to_r_number.n ? t('stats.kpi_p90', { p: dur(tm.to_r_number.p90_s), n: tm.to_r_number.n }) : t('stats.kpi_none')),
		card('kpi-to-adv', t('stats.kpi_to_adv'), tm ? dur(tm.to_advisory.median_s) : '—',
		    tm && tm.to_advisory.n ? t('stats.kpi_p90', { p: dur(tm.to_advisory.p90_s), n: tm.to_advisory.n }) : t('stats.kpi_none'))),
	    months.cells.length ? h('figure', h('figcaption', t('stats.chart_months')),
		monthChart(months.cells.map(c => ({ label: c.key.month, count: c.count })))) : null,
	    sectors.cells.length ? h('figure', h('figcaption', t('stats.chart_sectors')),
		h('table.list.compact.stats-table', { id: 'stats-sector-chart' }, h('tbody', sectors.cells.map(c =>
		    h('tr', { dataset: { sector: c.key.sector ?? '' } }, h('th', { scope: 'row' }, valueLabel('sector', c.key.sector)),
			h('td.num', String(c.count)), h('td.bar-cell', bar(100 * c.count / max))))))) : null,
	    months.suppressed || sectors.suppressed ? h('p.hint', t('stats.dash_suppressed', { k: months.k })) : null);
}

export async function statsView(ctx, opts = {}) {
	const pub = !!opts.public;
	const path = pub ? '/public/stats' : '/stats';
	const checks = DIMS.map(d => h('span.choice', h('input', { type: 'checkbox', id: `stats-g-${d}`, value: d, checked: d === 'sector' || d === 'event_type' }),
	    h('label', { for: `stats-g-${d}` }, t(`stats.dim.${d}`))));
	const since = h('input', { type: 'date', id: 'stats-since', value: fiscalStart() });
	const until = h('input', { type: 'date', id: 'stats-until' });
	const out = h('div', { id: 'stats-out', 'aria-live': 'polite' });
	const err = h('div.field-err', { id: 'stats-err', role: 'alert', hidden: true });
	let last = null;

	const chosen = () => checks.map(c => c.querySelector('input')).filter(i => i.checked).map(i => i.value);
	const render = (dims, data) => {
		clear(out);
		const max = Math.max(1, ...data.cells.map(c => c.count));
		const nisc = data.cells.some(c => c.sources !== undefined);
		const table = h('table.list.stats-table', { id: 'stats-table' },
		    h('caption.sr-only', t('stats.caption')),
		    h('thead', h('tr', dims.map(d => h('th', { scope: 'col' }, t(`stats.dim.${d}`))),
			h('th.num', { scope: 'col' }, t('stats.count')), nisc ? h('th.num', { scope: 'col' }, t('stats.sources')) : null,
			h('th', { scope: 'col', 'aria-hidden': 'true' }, ''))),
		    h('tbody', data.cells.map(c => h('tr', { dataset: { key: dims.map(d => c.key[d] ?? '').join('|') } },
			dims.map(d => h('td', valueLabel(d, c.key[d]))),
			h('td.num', c.count.toLocaleString(currentLang() === 'en' ? 'en-GB' : 'ja-JP')),
			nisc ? h('td.num', String(c.sources)) : null,
			h('td.bar-cell', bar(100 * c.count / max))))));
		out.append(...[
		    h('p.stats-summary', t('stats.total', { n: data.total })),
		    data.suppressed ? h('p.hint', { id: 'stats-suppressed' }, t('stats.suppressed', { m: data.suppressed, k: data.k })) : null,
		    data.cells.length ? table : h('p.muted', t('stats.empty'))].filter(Boolean));
	};
	const load = async () => {
		err.hidden = true;
		const dims = chosen();
		if (!dims.length) {
			err.textContent = t('stats.choose_dim');
			err.hidden = false;
			return;
		}
		const q = new URLSearchParams({ group: dims.join(',') });
		if (since.value)
			q.set('since', `${since.value}T00:00:00+09:00`);
		if (until.value)
			q.set('until', `${until.value}T23:59:59+09:00`);
		try {
			const data = await get(`${path}?${q}`);
			last = { dims, data };
			render(dims, data);
		} catch (e) {
			err.textContent = e.message;
			err.hidden = false;
		}
	};
	const csv = () => {
		if (!last)
			return;
		const { dims, data } = last;
		const head = [...dims.map(d => t(`stats.dim.${d}`)), t('stats.count')];
		const rows = data.cells.map(c => [...dims.map(d => valueLabel(d, c.key[d])), c.count]);
		download('cishare-stats.csv', [head, ...rows].map(r => r.map(csvCell).join(',')).join('\r\n') + '\r\n');
	};
	const form = h('form.stats-form', { on: { submit: ev => { ev.preventDefault(); load(); } } },
	    h('fieldset', h('legend', t('stats.group')), h('div.choices.inline', checks)),
	    h('div.form-line', h('label', { for: 'stats-since' }, t('stats.since')), since,
		h('label', { for: 'stats-until' }, t('stats.until')), until),
	    h('div.form-actions', h('button.primary', { type: 'submit', id: 'stats-show' }, t('stats.show')),
		h('button', { type: 'button', id: 'stats-csv', on: { click: csv } }, t('stats.csv'))));
	const title = t(pub ? 'stats.public_title' : 'stats.title');
	const dash = pub ? null : await dashboard(ctx.me).catch(() => null);
	const el = h('div.stats-page',
	    pageHeader(title),
	    h('p.hint', t(pub ? 'stats.public_lead' : 'stats.lead')),
	    dash, form, err, out);
	return { el, title, name: pub ? 'public-stats' : 'stats', after: load };
}

export const publicStatsView = ctx => statsView(ctx, { public: true });
