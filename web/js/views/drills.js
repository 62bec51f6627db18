// views/drills.js: CEPTOAR drills (NISC) — create a drill (scenario and the
// organisations it exercises), list them, and read a drill's report: every
// hop of each drill advisory with its delivery, read and acknowledgement
// times and latencies, each CEPTOAR's completion over time, and who never
// responded; the report downloads as CSV (UTF-8 with a BOM, for Excel).
import { h } from '../dom.js';
import { get, post } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { pageHeader, toast, orgName } from '../ui.js';
import { orgPicker } from '../dialog.js';

function csvCell(v) {
	const s = v == null ? '' : String(v);
	const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function reportCsv(rep, orgs) {
	const head = ['advisory', 'org', 'org_type', 'from', 'via', 'delivered_at', 'read_at', 'acknowledged_at', 'hop_latency_s', 'ack_latency_s'];
	const rows = rep.advisories.flatMap(a => a.deliveries.map(d => [a.identification_number || a.advisory, orgName(orgs, d.org), d.org_type, orgName(orgs, d.from), d.via,
	    d.delivered_at, d.read_at, d.acknowledged_at, d.hop_latency_s, d.ack_latency_s]));
	return [head, ...rows].map(r => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function download(name, text) {
	const a = h('a', { href: URL.createObjectURL(new Blob(['\ufeff' + text], { type: 'text/csv;charset=utf-8' })), download: name });
	document.body.append(a);
	a.click();
	setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

const mins = s => (s == null ? '—' : s < 60 ? t('drill.secs', { n: s }) : t('drill.mins', { n: Math.round(s / 60) }));

function reportView(rep, orgs) {
	const silent = new Set(rep.no_response);
	return h('div', { id: 'drill-report' },
	    h('p', t('drill.summary', { n: rep.advisories.reduce((k, a) => k + a.deliveries.length, 0), silent: rep.no_response.length })),
	    rep.no_response.length ? h('section.panel', h('h3', t('drill.no_response')), h('ul.plain', { id: 'drill-silent' },
		rep.no_response.map(id => h('li', orgName(orgs, id))))) : null,
	    ...rep.advisories.map(a => h('section.panel', { dataset: { advisory: String(a.advisory) } },
		h('h3', h('a', { href: `/advisories/${a.advisory}` }, t('drill.advisory', { id: a.identification_number || a.advisory }))),
		a.ceptoars.length ? h('table.list.compact', { id: `drill-ceptoars-${a.advisory}` },
		    h('thead', h('tr', h('th', t('drill.ceptoar')), h('th.num', t('drill.members')), h('th.num', t('drill.acked')), h('th', t('drill.completion')))),
		    h('tbody', a.ceptoars.map(c => {
			const bar = h('span.bar');
			bar.style.width = `${Math.round(100 * c.completion)}%`;
			return h('tr', { dataset: { ceptoar: String(c.ceptoar) } }, h('td', orgName(orgs, c.ceptoar)), h('td.num', String(c.members)),
			    h('td.num', String(c.acknowledged)), h('td.bar-cell', bar, ` ${Math.round(100 * c.completion)}%`,
				c.curve.length ? h('span.muted', ` ${t('drill.last_ack', { t: mins(c.curve[c.curve.length - 1].after_s) })}`) : null));
		    }))) : null,
		h('table.list.compact', { id: `drill-hops-${a.advisory}` },
		    h('thead', h('tr', h('th', t('drill.org')), h('th', t('drill.from')), h('th', t('drill.delivered')), h('th', t('drill.hop')),
			h('th', t('drill.ack')), h('th', t('drill.ack_after')))),
		    h('tbody', a.deliveries.map(d => h(`tr${silent.has(d.org) ? '.silent' : ''}`, { dataset: { org: String(d.org) } },
			h('td', orgName(orgs, d.org)), h('td', orgName(orgs, d.from)), h('td', fmtDate(d.delivered_at)), h('td', mins(d.hop_latency_s)),
			h('td', d.acknowledged_at ? fmtDate(d.acknowledged_at) : t('drill.not_acked')), h('td', mins(d.ack_latency_s)))))))));
}

export async function drillsView(ctx) {
	const { orgs } = ctx;
	const reload = () => ctx.navigate(location.pathname, { replace: true });
	const title = t('drill.title');
	const list = (await get('/drills')).items;
	const name = h('input', { type: 'text', id: 'drill-name' });
	const scenario = h('textarea', { id: 'drill-scenario', rows: 3 });
	const picker = orgPicker('drill-targets', [...orgs.values()].filter(o => o.type === 'ceptoar_secretariat'), t('drill.targets_note'));
	const err = h('div.field-err', { id: 'drill-err', role: 'alert', hidden: true });
	const form = h('form.panel', { id: 'drill-form', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		try {
			const r = await post('/drills', { name: name.value, scenario: scenario.value, targets: picker.value() });
			toast(t('drill.created', { id: r.id }));
			reload();
		} catch (e) {
			err.textContent = e.message;
			err.hidden = false;
		}
	} } }, h('h2', t('drill.create')),
	    h('div.form-line', h('label', { for: 'drill-name' }, t('drill.name')), name),
	    h('div.form-line', h('label', { for: 'drill-scenario' }, t('drill.scenario')), scenario),
	    h('div.form-line', h('span.lbl', t('drill.targets')), picker.el), err,
	    h('div.form-actions', h('button.primary', { type: 'submit', id: 'drill-submit' }, t('drill.create'))));
	const out = h('div', { id: 'drill-out' });
	const show = async d => {
		const rep = await get(`/drills/${d.id}/report`);
		out.replaceChildren(h('h2', d.name),
		    h('button', { type: 'button', id: 'drill-csv', on: { click: () => download(`drill-${d.id}.csv`, reportCsv(rep, orgs)) } }, t('stats.csv')),
		    reportView(rep, orgs));
	};
	const items = list.length ? h('ul.plain', { id: 'drill-list' }, list.map(d => h('li', { dataset: { id: String(d.id) } },
	    h('button.link', { type: 'button', on: { click: () => show(d) } }, d.name), ' ',
	    h('span.muted', t('drill.meta', { at: fmtDate(d.starts_at), n: d.targets.length }))))) : h('p.muted', t('drill.none'));
	const el = h('div.drills-page', pageHeader(title), h('p.hint', t('drill.lead')), form,
	    h('section.panel', h('h2', t('drill.list')), items), out);
	return { el, title, name: 'drills' };
}
