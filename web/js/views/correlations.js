// views/correlations.js: 複数分野で観測された指標 — NISC's queue of the
// observables (IP addresses, domains, URLs, hashes, CVE ids …) that the
// reports and advisories it may read show in at least N sectors in the last
// D days (GET /correlations), and a look-up of one observable, defanged or
// full-width (GET /observables); the report page's 関連する情報 panel
// (correlationsPanel) lists the items sharing an observable with a report.
import { h, clear } from '../dom.js';
import { get } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { pageHeader, replaceContent } from '../ui.js';
import { errorText } from '../errors.js';

function itemLink(it) {
	const href = `/${it.type === 'report' ? 'reports' : 'advisories'}/${it.id}`;
	return h('a', { href, dataset: { item: `${it.type}:${it.id}` } },
	    it.identification_number || t(`obs.item.${it.type}`, { id: it.id }),
	    it.versions?.length ? ` (${it.versions.map(n => t('sheet.nth', { n })).join('・')})` : '');
}

function sectorName(s) {
	return s ? t(`sector.${s}`) : t('obs.no_sector');
}

function obsValue(o) {
	return h('span.obs', h('span.chip', t(`obs.kind.${o.kind}`)), ' ', h('code', o.value));
}

// The report page's panel: other items the user may read that share an
// observable with the report (GET /reports/{id}/correlations).
export function correlationsPanel(rep) {
	const body = h('div', { id: 'correlations-body' }, h('p.muted', t('common.loading')));
	const el = h('section.panel.correlations', { 'aria-labelledby': 'corr-h', id: 'correlations' },
	    h('h2', { id: 'corr-h' }, t('obs.related_title')), body);
	get(`/reports/${rep.id}/correlations`).then(c => {
		if (!c.items.length) {
			replaceContent(body, h('p.muted', c.observables.length ? t('obs.related_none') : t('obs.no_observables')));
			return;
		}
		replaceContent(body, h('ul.plain', c.items.map(it => h('li', { dataset: { type: it.type, id: String(it.id) } },
		    h('strong', itemLink(it)), ' ', h('span.small.muted', sectorName(it.sector)),
		    h('div.small', t('obs.shared'), ' ', ...it.shared.map(obsValue))))));
	}).catch(() => replaceContent(body, h('p.muted', t('obs.unavailable'))));
	return el;
}

export async function correlationsView(ctx) {
	const min = h('input', { type: 'number', id: 'corr-min', min: 1, max: 32, value: ctx.query.get('min_sectors') || '2' });
	const days = h('input', { type: 'number', id: 'corr-days', min: 1, max: 3660, value: ctx.query.get('days') || '7' });
	const value = h('input', { type: 'text', id: 'obs-value', autocomplete: 'off', placeholder: '203[.]0[.]113[.]50' });
	const out = h('div', { id: 'corr-out', 'aria-live': 'polite' });
	const found = h('div', { id: 'obs-out', 'aria-live': 'polite' });
	const err = h('div.field-err', { id: 'corr-err', role: 'alert', hidden: true });
	const ferr = h('div.field-err', { id: 'obs-err', role: 'alert', hidden: true });

	const load = async () => {
		err.hidden = true;
		try {
			const q = new URLSearchParams({ min_sectors: min.value, days: days.value });
			const data = await get(`/correlations?${q}`);
			clear(out);
			out.append(data.observables.length
			    ? h('table.list', { id: 'corr-table' },
				h('caption.sr-only', t('obs.queue_title')),
				h('thead', h('tr', ['obs.col.value', 'obs.col.sectors', 'obs.col.items', 'obs.col.last'].map(k => h('th', { scope: 'col' }, t(k))))),
				h('tbody', data.observables.map(o => h('tr', { dataset: { value: o.value } },
				    h('td', obsValue(o)),
				    h('td', o.sectors.map(sectorName).join('、')),
				    h('td', h('ul.plain', o.items.map(it => h('li', itemLink(it), ' ', h('span.small.muted', sectorName(it.sector)))))),
				    h('td', fmtDate(o.last_seen))))))
			    : h('p.muted', t('obs.queue_empty', { n: data.min_sectors, d: data.days })));
		} catch (e) {
			err.textContent = errorText(e);
			err.hidden = false;
		}
	};
	const lookup = async () => {
		ferr.hidden = true;
		clear(found);
		if (!value.value.trim())
			return;
		try {
			const o = await get(`/observables?${new URLSearchParams({ value: value.value.trim() })}`);
			found.append(h('p', obsValue(o), o.registrable_domain ? h('span.small.muted', ` ${t('obs.registrable', { d: o.registrable_domain })}`) : null),
			    o.items.length
				? h('ul.plain', { id: 'obs-items' }, o.items.map(it => h('li', itemLink(it), ' ', h('span.small.muted', sectorName(it.sector)), ' ',
				    h('span.small', fmtDate(it.last_seen)))))
				: h('p.muted', t('obs.not_seen')));
		} catch (e) {
			ferr.textContent = e.code === 'invalid_field' ? t('obs.invalid_value') : errorText(e);
			ferr.hidden = false;
		}
	};
	const el = h('div.page',
	    pageHeader(t('obs.queue_title')),
	    h('p.hint', t('obs.queue_hint')),
	    h('form.corr-form', { on: { submit: ev => { ev.preventDefault(); load(); } } },
		h('div.form-line', h('label', { for: 'corr-min' }, t('obs.min_sectors')), min,
		    h('label', { for: 'corr-days' }, t('obs.days')), days,
		    h('button.primary', { type: 'submit', id: 'corr-show' }, t('obs.show'))),
		err),
	    out,
	    h('section.panel', { 'aria-labelledby': 'obs-h' },
		h('h2', { id: 'obs-h' }, t('obs.lookup_title')),
		h('form.obs-form', { on: { submit: ev => { ev.preventDefault(); lookup(); } } },
		    h('div.form-line', h('label', { for: 'obs-value' }, t('obs.value')), value,
			h('button', { type: 'submit', id: 'obs-lookup' }, t('obs.lookup'))),
		    ferr),
		found));
	load();
	return { el, title: t('obs.queue_title'), name: 'correlations' };
}
