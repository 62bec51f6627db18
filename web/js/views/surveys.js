// views/surveys.js: the yearly self-assessment survey (安全基準等の浸透状況調査,
// issue 14; docs/survey.md).  NISC opens a fiscal-year campaign for chosen
// sectors on one catalogue edition and closes it; an operator answers every
// control of the edition (each change autosaved to its draft) and its
// org_admin submits; NISC and the ministries follow who submitted in their
// sectors (never the answers); results: an operator's scores per category
// with last year's, its gaps by priority and a printable report; for NISC
// and the ministries the sector aggregates with their distribution charts
// (SVG), small cells suppressed.
import { h } from '../dom.js';
import { get, post, api } from '../api.js';
import { t, fmtDate, currentLang } from '../i18n.js';
import { pageHeader, toast } from '../ui.js';
import { VOCAB } from '../vocab.js';

const STATUSES = ['implemented', 'partial', 'planned', 'not_applicable', 'not_implemented'];
const has = (me, r) => (me.roles || []).includes(r);
const lang = () => currentLang() === 'en' ? 'en' : 'ja';
const title = c => (lang() === 'en' ? c.title_en : c.title_ja) || c.title_ja || c.title_en;
const sectors = list => (list || []).map(s => t(`sector.${s}`)).join('、');
const pct = v => v == null ? '—' : `${v}%`;

// A bar of p % (CSSOM: the CSP allows no style attribute).
function bar(p, cls = '') {
	const el = h(`span.sv-bar${cls}`);
	el.style.width = `${Math.max(0, Math.min(100, p || 0))}%`;
	return el;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...kids) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		el.setAttribute(k, String(v));
	for (const c of kids)
		el.append(c);
	return el;
}

// The distribution of the overall scores: five 20-point buckets as SVG bars.
function distChart(dist, label) {
	const max = Math.max(1, ...dist);
	const w = 220, hh = 90, bw = 36, top = 12;
	const g = svg('svg', { viewBox: `0 0 ${w} ${hh + 28}`, role: 'img', 'aria-label': label, class: 'sv-dist' });
	dist.forEach((n, i) => {
		const bh = Math.round((hh - top) * n / max);
		const x = 8 + i * (bw + 6);
		g.append(svg('rect', { x, y: hh - bh, width: bw, height: bh, class: 'sv-dist-bar' },
		    svg('title', {}, `${i * 20}–${i === 4 ? 100 : i * 20 + 19}%: ${n}`)));
		g.append(svg('text', { x: x + bw / 2, y: hh + 12, 'text-anchor': 'middle', class: 'sv-dist-lbl' }, `${i * 20}`));
		g.append(svg('text', { x: x + bw / 2, y: Math.max(10, hh - bh - 3), 'text-anchor': 'middle', class: 'sv-dist-n' }, String(n)));
	});
	g.append(svg('text', { x: w / 2, y: hh + 26, 'text-anchor': 'middle', class: 'sv-dist-lbl' }, t('sv.dist_axis')));
	return g;
}

// ---- the list, and NISC's campaign form ------------------------------------

function openForm(editions, reload) {
	const fy = h('input', { type: 'number', id: 'sv-fy', min: 2000, max: 2100,
	    value: String(new Date().getMonth() >= 3 ? new Date().getFullYear() : new Date().getFullYear() - 1) });
	const secs = h('fieldset.checks', { id: 'sv-sectors' }, h('legend', t('sv.sectors')),
	    VOCAB.sector.map(s => h('label', h('input', { type: 'checkbox', value: s.id, name: 'sv-sector' }), ` ${t(`sector.${s.id}`)}`)));
	const ed = h('select', { id: 'sv-edition' }, editions.map(e => h('option', { value: e.id }, `${e.id} — ${lang() === 'en' ? e.label_en : e.label_ja}`)));
	const err = h('div.field-err', { id: 'sv-open-err', role: 'alert', hidden: true });
	return h('form.panel', { id: 'sv-open-form', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		try {
			const r = await post('/surveys', { fiscal_year: Number(fy.value), edition: ed.value,
			    sectors: [...secs.querySelectorAll('input:checked')].map(i => i.value) });
			toast(t('sv.opened', { id: r.id }));
			reload();
		} catch (e) {
			err.textContent = e.message;
			err.hidden = false;
		}
	} } }, h('h2', t('sv.open')),
	    h('div.form-line', h('label', { for: 'sv-fy' }, t('sv.fiscal_year')), fy),
	    h('div.form-line', h('label', { for: 'sv-edition' }, t('sv.edition')), ed), secs, err,
	    h('div.form-actions', h('button.primary', { type: 'submit', id: 'sv-open-submit' }, t('sv.open'))));
}

function mineText(x) {
	if (!x.mine)
		return '';
	return t(`sv.state.${x.mine.state}`) + (x.mine.state === 'draft' ? ` ${x.mine.answered}/${x.items}` : '');
}

export async function surveysView(ctx) {
	const { me } = ctx;
	const reload = () => ctx.navigate('/surveys', { replace: true });
	const nisc = me.org?.type === 'nisc';
	const list = (await get('/surveys')).items;
	const editions = nisc ? (await get('/controls')).editions : [];
	const el = h('div.surveys-page', pageHeader(t('sv.title')), h('p.hint', t('sv.lead')),
	    nisc ? openForm(editions, reload) : null,
	    h('section.panel', h('h2', t('sv.list')), list.length ? h('table.list', { id: 'sv-list' },
		h('thead', h('tr', ['fiscal_year', 'sectors', 'edition', 'state', 'mine'].map(c => h('th', { scope: 'col' }, t(`sv.col.${c}`))))),
		h('tbody', list.map(x => h('tr', { dataset: { id: String(x.id) } },
		    h('td', h('a', { href: `/surveys/${x.id}` }, t('sv.fy', { fy: x.fiscal_year }))),
		    h('td', sectors(x.sectors)), h('td', x.edition), h('td', t(`sv.cstate.${x.state}`)),
		    h('td', mineText(x)))))) : h('p.muted', t('sv.none'))));
	return { el, title: t('sv.title'), name: 'surveys' };
}

// ---- one campaign: the answer form, or the overseer's summary ----------------------

function answerForm(s, catalogue, me) {
	const answers = s.mine.answers || {};
	const locked = s.state !== 'open' || s.mine.state === 'submitted';
	const status = h('p.sv-save', { id: 'sv-save-status', role: 'status', 'aria-live': 'polite' },
	    t('sv.answered_n', { n: s.mine.answered, total: s.items }));
	const err = h('div.field-err', { id: 'sv-answer-err', role: 'alert', hidden: true });
	let count = s.mine.answered;
	const timers = new Map();
	const save = (id, row) => {
		clearTimeout(timers.get(id));
		timers.set(id, setTimeout(async () => {
			const st = row.querySelector('select').value;
			if (!st)
				return;
			const item = { status: st, note: row.querySelector('textarea').value, owner: row.querySelector('input').value };
			status.textContent = t('sv.saving');
			try {
				const r = await api('PUT', `/surveys/${s.id}/answers`, { items: { [id]: item } });
				err.hidden = true;
				row.classList.remove('sv-invalid');
				count = r.answered;
				status.textContent = t('sv.saved', { n: count, total: s.items });
			} catch (e) {
				row.classList.add('sv-invalid');
				err.textContent = `${id}: ${e.message}`;
				err.hidden = false;
				status.textContent = t('sv.not_saved');
			}
		}, 600));
	};
	const cats = new Map();
	for (const c of catalogue.items) {
		if (!cats.has(c.category))
			cats.set(c.category, []);
		cats.get(c.category).push(c);
	}
	const body = [...cats.entries()].map(([cat, items]) => h('fieldset.sv-cat', { dataset: { category: cat } },
	    h('legend', t(`sv.cat.${cat}`)), items.map(c => {
		const a = answers[c.id] || {};
		const key = c.id.replace(/[^A-Za-z0-9]/g, '-');
		const sel = h('select', { id: `sv-st-${key}`, 'aria-label': t('sv.status'), disabled: locked },
		    h('option', { value: '' }, t('sv.status_choose')), STATUSES.map(x => h('option', { value: x, selected: a.status === x }, t(`sv.status.${x}`))));
		const note = h('textarea', { id: `sv-note-${key}`, rows: 1, 'aria-label': t('sv.note'), placeholder: t('sv.note_ph'), disabled: locked }, a.note || '');
		const owner = h('input', { type: 'text', id: `sv-owner-${key}`, 'aria-label': t('sv.owner'), placeholder: t('sv.owner'), value: a.owner || '', disabled: locked });
		const row = h('div.sv-item', { dataset: { control: c.id } },
		    h('div.sv-item-h', h('strong', `${c.number} ${title(c)}`), ' ', h('span.muted', t(`sv.level.${c.requirement_level}`)),
			h('details', h('summary', t('sv.requirements')), h('ul', c.requirements.map(r => h('li', r.quote_ja ? `「${r.quote_ja}」` : '', ' ', h('span.muted', r.text_en)))),
			    h('p.muted', c.citation ? `${c.citation.file} ${c.citation.section || ''}` : ''))),
		    h('div.sv-item-f', sel, note, owner));
		for (const x of [sel, note, owner])
			x.addEventListener(x === sel ? 'change' : 'input', () => save(c.id, row));
		return row;
	    })));
	const admin = has(me, 'org_admin');
	const actions = h('div.form-actions.submit-bar',
	    admin && !locked ? h('button.primary', { type: 'button', id: 'sv-submit', on: { click: async () => {
		try {
			await post(`/surveys/${s.id}/submit`);
			toast(t('sv.submitted'));
			location.reload();
		} catch (e) {
			err.textContent = e.field ? `${e.field}: ${e.message}` : e.message;
			err.hidden = false;
		}
	    } } }, t('sv.submit')) : null,
	    !admin && !locked ? h('p.hint', t('sv.submit_by_admin')) : null,
	    admin ? h('label', h('input', { type: 'checkbox', id: 'sv-share', checked: s.mine.shared, on: { change: async ev => {
		await post(`/surveys/${s.id}/share`, { shared: ev.target.checked });
		toast(ev.target.checked ? t('sv.shared') : t('sv.unshared'));
	    } } }), ` ${t('sv.share')}`) : null);
	return h('section.panel', { id: 'sv-answer-form' },
	    h('h2', t('sv.answers')), h('p.hint', locked ? t(s.state !== 'open' ? 'sv.closed_note' : 'sv.submitted_note') : t('sv.autosave_note')),
	    status, err, body, actions);
}

export async function surveyView(ctx) {
	const { me } = ctx;
	const id = Number(ctx.params[0]);
	const s = await get(`/surveys/${id}`);
	const nisc = me.org?.type === 'nisc';
	const head = t('sv.campaign', { fy: s.fiscal_year });
	const links = h('p.page-actions', h('a.button', { href: `/surveys/${id}/results`, id: 'sv-results-link' }, t('sv.results')), ' ',
	    nisc || me.org?.type === 'ci_ministry' ? h('a.button', { href: `/surveys/${id}/progress`, id: 'sv-progress-link' }, t('sv.progress')) : null, ' ',
	    nisc && s.state === 'open' ? h('button', { type: 'button', id: 'sv-close', on: { click: async () => {
		await post(`/surveys/${id}/close`);
		toast(t('sv.closed'));
		ctx.navigate(`/surveys/${id}`, { replace: true });
	    } } }, t('sv.close')) : null);
	const info = h('dl.meta', { id: 'sv-info' },
	    h('div', h('dt', t('sv.sectors')), h('dd', sectors(s.sectors))),
	    h('div', h('dt', t('sv.edition')), h('dd', `${s.edition}（${t('sv.items_n', { n: s.items })}）`)),
	    h('div', h('dt', t('sv.col.state')), h('dd', { id: 'sv-state' }, t(`sv.cstate.${s.state}`))),
	    s.mine ? h('div', h('dt', t('sv.col.mine')), h('dd', { id: 'sv-mine-state' }, t(`sv.state.${s.mine.state}`))) : null);
	const form = s.mine ? answerForm(s, await get(`/controls?edition=${encodeURIComponent(s.edition)}`), me) : null;
	const el = h('div.survey-page', pageHeader(head), info, links, form);
	return { el, title: head, name: 'surveys' };
}

// ---- progress (NISC, ministries) ---------------------------------------------------------

export async function surveyProgressView(ctx) {
	const id = Number(ctx.params[0]);
	const p = await get(`/surveys/${id}/progress`);
	const head = t('sv.progress_title', { fy: p.survey.fiscal_year });
	const el = h('div.survey-progress-page', pageHeader(head), h('p.hint', t('sv.progress_note')),
	    h('table.list', { id: 'sv-progress-sectors' },
		h('thead', h('tr', ['sector', 'operators', 'submitted', 'draft', 'not_started'].map(c => h('th', { scope: 'col' }, t(`sv.pcol.${c}`))), h('th', ''))),
		h('tbody', p.sectors.map(x => h('tr', { dataset: { sector: x.sector } }, h('td', t(`sector.${x.sector}`)),
		    h('td.num', String(x.operators)), h('td.num', String(x.submitted)), h('td.num', String(x.draft)), h('td.num', String(x.not_started)),
		    h('td.bar-cell', bar(x.operators ? 100 * x.submitted / x.operators : 0)))))),
	    h('table.list', { id: 'sv-progress-orgs' },
		h('thead', h('tr', ['org', 'sectors', 'state', 'submitted_at', 'shared'].map(c => h('th', { scope: 'col' }, t(`sv.rcol.${c}`))))),
		h('tbody', p.respondents.map(r => h('tr', { dataset: { org: String(r.org), state: r.state } }, h('td', r.name), h('td', sectors(r.sectors)),
		    h('td', t(`sv.state.${r.state}`)), h('td', r.submitted_at ? fmtDate(r.submitted_at) : '—'), h('td', r.shared ? t('sv.yes') : '—'))))));
	return { el, title: head, name: 'surveys' };
}

// ---- results ---------------------------------------------------------------------------------

function operatorResults(r) {
	return [
	    h('section.panel', { id: 'sv-overall' }, h('h2', t('sv.overall')),
		h('p.sv-big', pct(r.overall.percent), r.overall.trend != null ? h('span.muted', ` ${t('sv.trend', { d: (r.overall.trend > 0 ? '+' : '') + r.overall.trend, fy: r.previous.survey.fiscal_year })}`) : null)),
	    h('section.panel', h('h2', t('sv.by_category')), h('table.list.sv-scores', { id: 'sv-categories' },
		h('thead', h('tr', h('th', t('sv.category')), h('th', t('sv.score')), h('th', ''), h('th', t('sv.last_year')), h('th', t('sv.trend_col')))),
		h('tbody', r.categories.map(c => h('tr', { dataset: { category: c.category } }, h('td', t(`sv.cat.${c.category}`)),
		    h('td.num', pct(c.percent)), h('td.bar-cell', bar(c.percent), c.previous_percent != null ? bar(c.previous_percent, '.sv-prev') : null),
		    h('td.num', pct(c.previous_percent)), h('td.num', c.trend == null ? '—' : (c.trend > 0 ? '+' : '') + c.trend)))))),
	    h('section.panel', h('h2', t('sv.gaps')), h('p.hint', t('sv.gaps_note')), r.gaps.length ? h('table.list', { id: 'sv-gaps' },
		h('thead', h('tr', ['rank', 'control', 'status', 'level', 'previous'].map(c => h('th', { scope: 'col' }, t(`sv.gcol.${c}`))))),
		h('tbody', r.gaps.map(g => h('tr', { dataset: { control: g.control } }, h('td.num', String(g.rank)),
		    h('td', `${g.number} ${title(g)}`), h('td', t(`sv.status.${g.status}`)), h('td', t(`sv.level.${g.requirement_level}`)),
		    h('td', g.previous_status ? t(`sv.status.${g.previous_status}`) : '—'))))) : h('p.muted', t('sv.no_gaps'))),
	];
}

function sectorCell(x, k) {
	if (x.suppressed)
		return h('section.panel.sv-sector', { dataset: { sector: x.sector || 'all' } }, h('h3', x.sector ? t(`sector.${x.sector}`) : t('sv.all_sectors')),
		    h('p.muted.sv-suppressed', t('sv.suppressed', { k })));
	return h('section.panel.sv-sector', { dataset: { sector: x.sector || 'all' } },
	    h('h3', x.sector ? t(`sector.${x.sector}`) : t('sv.all_sectors')),
	    h('p', t('sv.respondents_mean', { n: x.respondents, p: pct(x.mean_percent) })),
	    h('div.sv-sector-body', distChart(x.distribution, t('sv.dist_label')),
	    h('table.list.compact.sv-scores', h('thead', h('tr', h('th', t('sv.category')), h('th', t('sv.mean')), h('th', ''),
		STATUSES.map(s => h('th', t(`sv.status.${s}`))))),
		h('tbody', x.categories.map(c => h('tr', { dataset: { category: c.category } }, h('td', t(`sv.cat.${c.category}`)), h('td.num', pct(c.mean_percent)),
		    h('td.bar-cell', bar(c.mean_percent)), STATUSES.map(s => h('td.num', String(c.counts[s])))))))));
}

function sectorResults(r) {
	return [
	    h('p.hint', { id: 'sv-k-note' }, t('sv.k_note', { k: r.k, n: r.suppressed })),
	    h('div.sv-sectors', { id: 'sv-sectors' }, r.sectors.map(x => sectorCell(x, r.k))),
	    sectorCell({ ...r.overall, sector: null }, r.k),
	    h('section.panel', h('h2', t('sv.top_ni')), r.top_not_implemented.length ? h('ol', { id: 'sv-top' },
		r.top_not_implemented.map(x => h('li', { dataset: { control: x.control } }, `${x.number} ${title(x)} `, h('span.muted', t('sv.ni_n', { n: x.not_implemented }))))) : h('p.muted', t('sv.none_shown'))),
	];
}

export async function surveyResultsView(ctx) {
	const id = Number(ctx.params[0]);
	const r = await get(`/surveys/${id}/results`);
	const head = t('sv.results_title', { fy: r.survey.fiscal_year });
	const el = h('div.survey-results-page', { dataset: { view: r.view } }, pageHeader(head),
	    h('p.muted', `${sectors(r.survey.sectors)} ・ ${t('sv.edition')} ${r.survey.edition}`),
	    h('p.page-actions', h('button', { type: 'button', id: 'sv-print', on: { click: () => window.print() } }, t('sv.print')), ' ',
		h('a.button', { href: `/api/v1/surveys/${id}/results.csv?bom=1&lang=${lang()}`, download: `survey-${id}.csv`, id: 'sv-csv' }, t('list.download_csv'))),
	    ...(r.view === 'operator' ? operatorResults(r) : sectorResults(r)));
	return { el, title: head, name: 'surveys' };
}
