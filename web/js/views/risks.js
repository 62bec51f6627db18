// views/risks.js: the risk-management workspace (リスク管理, issue 14): the
// operator's profile (As-Is / To-Be), its register with a heat map on its
// own likelihood × impact matrix, the risk form, the five improvement
// viewpoints of 行動計画 IV 4.1 and the CP/IT-BCP readiness checklist, and
// the improvement plan ordered by score (docs/analysis.md).  Private to the
// operator until it shares it with its ministry or NISC, who then read it
// here (?org=).
import { h } from '../dom.js';
import { api, get } from '../api.js';
import { t, has, currentLang } from '../i18n.js';
import { pageHeader, toast } from '../ui.js';
import { orgPicker } from '../dialog.js';
import { servicesOf, serviceName } from '../spec.js';

const TREATMENTS = ['avoid', 'reduce', 'transfer', 'accept'];
const STATUSES = ['unanswered', 'done', 'partial', 'gap', 'not_applicable'];

const lbl = x => (currentLang() === 'en' && x.en) ? x.en : x.ja;
const put = (path, body) => api('PUT', path, body);
// The service-maintenance level (別紙２) as a tooltip: its text, then each numeric rule.
const smlText = sl => !sl ? '' : [sl.text_ja, ...(sl.rules || []).map(r => (r.facility ? `${r.facility}: ` : '') + r.conditions.map(c => `${c.metric} ≥ ${c.min}`).join(' ∧ '))].filter(Boolean).join('\n');
const bandName = id => has(`risk.band.${id}`) ? t(`risk.band.${id}`) : id;

function fieldError(box, e) {
	box.textContent = e.field ? `${e.field}: ${e.message}` : e.message;
	box.dataset.field = e.field || '';
	box.hidden = false;
}

function heatmap(ws) {
	const m = ws.matrix;
	const rows = ws.heatmap.cells;
	return h('table.heatmap', { id: 'risk-heatmap', 'aria-label': t('risk.heatmap') },
	    h('thead', h('tr', h('th', t('risk.l_over_i')), m.impact.map((x, i) => h('th', { scope: 'col' }, `${i + 1} ${lbl(x)}`)))),
	    h('tbody', rows.map((row, r) => {
		const l = m.likelihood.length - r;
		return h('tr', h('th', { scope: 'row' }, `${l} ${lbl(m.likelihood[l - 1])}`),
		    row.map((ids, c) => h('td', { dataset: { band: ws.heatmap.bands[r][c], l: String(l), i: String(c + 1) },
			title: ids.map(id => `#${id}`).join(' ') }, ids.length ? String(ids.length) : '')));
	    })));
}

function select(id, options, value) {
	return h('select', { id }, options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, text)));
}

function riskForm(ws, risk, reload) {
	const m = ws.matrix;
	const levels = (axis, blank) => [...(blank ? [['', '—']] : []), ...m[axis].map((x, i) => [String(i + 1), `${i + 1} ${lbl(x)}`])];
	const sectorServices = [...new Set((ws.sectors || []))].flatMap(s => servicesOf(s));
	const f = {
		title: h('input', { type: 'text', id: 'risk-title', value: risk?.title || '' }),
		source: h('input', { type: 'text', id: 'risk-source', value: risk?.source || '' }),
		event: h('textarea', { id: 'risk-event', rows: 2 }, risk?.event || ''),
		service: select('risk-service', [['', '—'], ...sectorServices], risk?.service),
		sml_breach: h('input', { type: 'checkbox', id: 'risk-sml', checked: !!risk?.sml_breach }),
		likelihood: select('risk-likelihood', levels('likelihood'), risk?.likelihood),
		impact: select('risk-impact', levels('impact'), risk?.impact),
		owner: h('input', { type: 'text', id: 'risk-owner', value: risk?.owner || '' }),
		treatment: select('risk-treatment', [['', '—'], ...TREATMENTS.map(x => [x, t(`risk.tr.${x}`)])], risk?.treatment),
		residual_likelihood: select('risk-rl', levels('likelihood', true), risk?.residual_likelihood),
		residual_impact: select('risk-ri', levels('impact', true), risk?.residual_impact),
		viewpoint: select('risk-viewpoint', [['', '—'], ...ws.viewpoints.map(v => [v.id, `${v.id}. ${lbl(v)}`])], risk?.viewpoint),
		review_date: h('input', { type: 'date', id: 'risk-review', value: risk?.review_date || '' }),
		reports: h('input', { type: 'text', id: 'risk-reports', value: (risk?.reports || []).join(', '), placeholder: '812, 813' }),
		controls: h('input', { type: 'text', id: 'risk-controls', value: (risk?.controls || []).join(', '), placeholder: 'shishin2023:4.3.1' }),
		notes: h('textarea', { id: 'risk-notes', rows: 2 }, risk?.notes || ''),
	};
	const err = h('div.field-err', { id: 'risk-err', role: 'alert', hidden: true });
	const line = (key, el) => h('div.form-line', h('label', { for: el.id }, t(`risk.f.${key}`)), el);
	const list = s => s.split(/[,\s、]+/).filter(Boolean);
	const body = () => {
		const b = {
			title: f.title.value, event: f.event.value, likelihood: Number(f.likelihood.value), impact: Number(f.impact.value),
			sml_breach: f.sml_breach.checked,
			reports: list(f.reports.value).map(Number), controls: list(f.controls.value),
		};
		const opt = (k, v) => { b[k] = v === '' ? null : v; };
		opt('source', f.source.value);
		opt('service', f.service.value);
		opt('owner', f.owner.value);
		opt('treatment', f.treatment.value);
		opt('residual_likelihood', f.residual_likelihood.value === '' ? '' : Number(f.residual_likelihood.value));
		opt('residual_impact', f.residual_impact.value === '' ? '' : Number(f.residual_impact.value));
		opt('viewpoint', f.viewpoint.value);
		opt('review_date', f.review_date.value);
		opt('notes', f.notes.value);
		if (!risk)
			for (const k of Object.keys(b))
				if (b[k] === null)
					delete b[k];
		return b;
	};
	return h('form.panel', { id: 'risk-form', dataset: { id: risk ? String(risk.id) : '' }, on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		try {
			const r = risk ? await api('PATCH', `/risks/${risk.id}`, body()) : await api('POST', '/risks', body());
			toast(t(risk ? 'risk.updated' : 'risk.created', { id: r.id, score: r.score }));
			reload('');
		} catch (e) {
			fieldError(err, e);
		}
	} } }, h('h2', risk ? t('risk.edit', { id: risk.id }) : t('risk.add')),
	    line('title', f.title), line('source', f.source), line('event', f.event), line('service', f.service),
	    h('div.form-line', h('label', { for: 'risk-sml' }, f.sml_breach, ' ', t('risk.f.sml_breach'))),
	    line('likelihood', f.likelihood), line('impact', f.impact), line('owner', f.owner), line('treatment', f.treatment),
	    line('residual_likelihood', f.residual_likelihood), line('residual_impact', f.residual_impact),
	    line('viewpoint', f.viewpoint), line('review_date', f.review_date), line('reports', f.reports),
	    line('controls', f.controls), line('notes', f.notes), err,
	    h('div.form-actions', h('button.primary', { type: 'submit', id: 'risk-save' }, t('risk.save')),
		risk ? h('button', { type: 'button', id: 'risk-archive', on: { click: async () => {
		    try {
			await api('DELETE', `/risks/${risk.id}`);
			toast(t('risk.archived_toast'));
			reload('');
		    } catch (e) {
			fieldError(err, e);
		    }
		} } }, t('risk.archive')) : null,
		risk ? h('a.button', { href: location.pathname }, t('risk.cancel')) : null));
}

function register(items, ro) {
	if (!items.length)
		return h('p.muted', { id: 'risk-register-empty' }, t('risk.none'));
	return h('table.list.compact', { id: 'risk-register' },
	    h('thead', h('tr', ['ID', t('risk.f.title'), t('risk.col.li'), t('risk.col.score'), t('risk.col.level'), t('risk.f.treatment'),
		t('risk.col.residual'), t('risk.f.owner'), t('risk.f.review_date'), t('risk.f.service')].map(x => h('th', x)))),
	    h('tbody', items.map(r => h('tr', { dataset: { id: String(r.id), level: r.level } },
		h('td', ro ? String(r.id) : h('a', { href: `?edit=${r.id}` }, String(r.id))),
		h('td', r.title), h('td', `${r.likelihood}×${r.impact}`), h('td', String(r.score)),
		h('td', h('span.band', { dataset: { band: r.level } }, bandName(r.level))),
		h('td', r.treatment ? t(`risk.tr.${r.treatment}`) : '—'),
		h('td', r.residual_score ? `${r.residual_score}` : '—'),
		h('td', r.owner || '—'),
		h('td', r.review_date ? (r.overdue ? h('span.overdue', { title: t('risk.overdue') }, `${r.review_date} ⚠ ${t('risk.overdue')}`) : r.review_date) : '—'),
		h('td', r.service ? h('span.sml', { title: smlText(r.service_level) }, serviceName(r.service), r.sml_breach ? ` (${t('risk.sml_breach_short')})` : '') : '—')))));
}

function checklist(ws, list, ro) {
	return h('table.list.compact', { id: `risk-${list}` },
	    h('thead', h('tr', h('th', 'ID'), h('th', t('risk.item')), h('th', t('risk.status')), h('th', t('risk.note')), h('th', t('risk.citation')))),
	    h('tbody', ws[list].map(c => h('tr', { dataset: { item: c.id } },
		h('td', c.id), h('td', lbl(c)),
		h('td', ro ? t(`risk.st.${c.status}`) : select(`risk-${list}-${c.id}`, STATUSES.map(s => [s, t(`risk.st.${s}`)]), c.status)),
		h('td', ro ? (c.note || '') : h('input', { type: 'text', id: `risk-${list}-${c.id}-note`, value: c.note || '', 'aria-label': t('risk.note') })),
		h('td.muted', c.citation)))));
}

function plan(p) {
	if (!p.items.length)
		return h('p.muted', { id: 'risk-plan-empty' }, t('risk.plan_empty'));
	return h('div', h('p.hint', t('risk.plan_order')),
	    h('table.list.compact', { id: 'risk-plan' },
		h('thead', h('tr', [t('risk.rank'), t('risk.col.score'), t('risk.kind'), t('risk.item'), t('risk.f.viewpoint'), t('risk.status')].map(x => h('th', x)))),
		h('tbody', p.items.map(x => h('tr', { dataset: { kind: x.kind, item: String(x.risk ?? x.check) } },
		    h('td', String(x.rank)), h('td', String(x.score)), h('td', t(`risk.kind.${x.kind}`)),
		    h('td', x.kind === 'risk' ? `#${x.risk} ${x.title}` : lbl(x)),
		    h('td', x.viewpoint || '—'),
		    h('td', x.kind === 'risk' ? (x.overdue ? t('risk.overdue') : (x.treatment ? t(`risk.tr.${x.treatment}`) : '—')) : t(`risk.st.${x.status}`)))))));
}

function profileForm(ws, ro, reload) {
	const p = ws.profile || {};
	const services = [...new Set(ws.sectors || [])].flatMap(s => servicesOf(s));
	const err = h('div.field-err', { id: 'risk-profile-err', role: 'alert', hidden: true });
	const boxes = services.map(([id, name]) => h('span.choice', h('input', { type: 'checkbox', id: `risk-svc-${id}`, value: id, checked: (p.services || []).includes(id), disabled: ro }),
	    h('label', { for: `risk-svc-${id}` }, name)));
	const systems = h('textarea', { id: 'risk-systems', rows: 3, readOnly: ro, spellcheck: 'false' }, JSON.stringify(p.critical_systems || [], null, 1));
	const deps = h('textarea', { id: 'risk-deps', rows: 4, readOnly: ro, spellcheck: 'false' }, JSON.stringify(p.dependencies || [], null, 1));
	const asIs = h('textarea', { id: 'risk-asis', rows: 3, readOnly: ro }, p.as_is || '');
	const toBe = h('textarea', { id: 'risk-tobe', rows: 3, readOnly: ro }, p.to_be || '');
	return h('form.panel', { id: 'risk-profile', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		try {
			await put('/risks/profile', { services: boxes.map(b => b.firstChild).filter(i => i.checked).map(i => i.value),
			    critical_systems: JSON.parse(systems.value || '[]'), dependencies: JSON.parse(deps.value || '[]'),
			    as_is: asIs.value, to_be: toBe.value });
			toast(t('risk.saved'));
			reload();
		} catch (e) {
			fieldError(err, e);
		}
	} } }, h('h2', t('risk.profile')), h('p.hint', t('risk.profile_lead')),
	    h('div.form-line', h('span.lbl', t('risk.services')), h('div.org-picks', boxes)),
	    h('div.form-line', h('label', { for: 'risk-systems' }, t('risk.systems')), h('p.hint', t('risk.systems_hint')), systems),
	    h('div.form-line', h('label', { for: 'risk-deps' }, t('risk.deps')), h('p.hint', t('risk.deps_hint')), deps),
	    h('div.form-line', h('label', { for: 'risk-asis' }, t('risk.as_is')), asIs),
	    h('div.form-line', h('label', { for: 'risk-tobe' }, t('risk.to_be')), toBe), err,
	    ro ? null : h('div.form-actions', h('button.primary', { type: 'submit', id: 'risk-profile-save' }, t('risk.save'))));
}

function matrixForm(ws, reload) {
	const text = h('textarea', { id: 'risk-matrix', rows: 8, spellcheck: 'false' }, JSON.stringify(ws.matrix, null, 1));
	const err = h('div.field-err', { id: 'risk-matrix-err', role: 'alert', hidden: true });
	return h('form.panel', { id: 'risk-matrix-form', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		try {
			await put('/risks/matrix', JSON.parse(text.value));
			toast(t('risk.saved'));
			reload();
		} catch (e) {
			fieldError(err, e);
		}
	} } }, h('h2', t('risk.matrix')), h('p.hint', t('risk.matrix_hint')), text, err,
	    h('div.form-actions', h('button.primary', { type: 'submit', id: 'risk-matrix-save' }, t('risk.save'))));
}

function sharing(ws, orgs, reload) {
	const mine = new Set(ws.sectors || []);
	const cands = [...orgs.values()].filter(o => o.type === 'nisc' || (o.type === 'ci_ministry' && (o.sectors || []).some(s => mine.has(s))));
	const picker = orgPicker('risk-share', cands, t('risk.share_note'));
	for (const id of ws.shared_with) {
		const box = picker.el.querySelector(`#risk-share-${id}`);
		if (box)
			box.checked = true;
	}
	const err = h('div.field-err', { id: 'risk-share-err', role: 'alert', hidden: true });
	return h('section.panel', { id: 'risk-sharing' }, h('h2', t('risk.sharing')), picker.el, err,
	    h('div.form-actions', h('button', { type: 'button', id: 'risk-share-save', on: { click: async () => {
		err.hidden = true;
		try {
			await put('/risks/sharing', { to: picker.value() });
			toast(t('risk.shared_toast'));
			reload();
		} catch (e) {
			fieldError(err, e);
		}
	    } } }, t('risk.share_save'))));
}

// The operator's gaps against the 指針 from its latest survey campaign (the
// CISO's one page: gaps, top risks, the ordered plan; issue 14).
async function surveyGaps() {
	const list = (await get('/surveys').catch(() => ({ items: [] }))).items;
	const s = list.find(x => x.mine?.state === 'submitted') || list.find(x => x.mine?.state === 'draft');
	if (!s)
		return h('section.panel', { id: 'risk-survey-gaps' }, h('h2', t('risk.survey_gaps')), h('p.muted', t('risk.survey_none')));
	const r = await get(`/surveys/${s.id}/results`).catch(() => null);
	const gaps = (r?.gaps || []).slice(0, 10);
	const title = g => (currentLang() === 'en' ? g.title_en : g.title_ja) || g.control;
	return h('section.panel', { id: 'risk-survey-gaps' },
	    h('h2', t('risk.survey_gaps')),
	    h('p.hint', t('risk.survey_from', { fy: s.fiscal_year, state: t(`risk.survey_state.${s.mine.state}`), pct: r?.overall?.percent ?? '—' })),
	    gaps.length ? h('ol', { id: 'risk-gap-list' }, gaps.map(g => h('li', { dataset: { control: g.control } },
		h('strong', g.number || g.control), ' ', title(g), ' ', h('span.muted', `（${t(`sv.status.${g.status}`)}）`)))) :
		h('p.muted', t('risk.survey_no_gaps')),
	    h('p', h('a', { href: `/surveys/${s.id}/results`, id: 'risk-survey-link' }, t('risk.survey_open'))));
}

export async function risksView(ctx) {
	const { me, orgs } = ctx;
	const title = t('risk.title');
	const org = Number(ctx.query.get('org')) || 0;
	const q = org ? `?org=${org}` : '';
	const reload = (search) => ctx.navigate(location.pathname + (search ?? location.search), { replace: true });
	const operator = me.org?.type === 'ci_operator';
	if (!org && !operator) {
		const shared = (await get('/risks/workspaces')).items;
		const el = h('div.risks-page', pageHeader(title), h('p.hint', t('risk.lead_gov')),
		    h('section.panel', h('h2', t('risk.shared_list')), shared.length ? h('ul.plain', { id: 'risk-shared' }, shared.map(x =>
			h('li', { dataset: { org: String(x.org) } }, h('a', { href: `/risks?org=${x.org}` }, x.name)))) : h('p.muted', { id: 'risk-shared-none' }, t('risk.shared_none'))));
		return { el, title, name: 'risks' };
	}
	const [ws, list, pl, gapsPanel] = await Promise.all([get(`/risks/workspace${q}`), get(`/risks${q}`), get(`/risks/plan${q}`),
	    operator && !org ? surveyGaps() : Promise.resolve(null)]);
	ws.sectors = (orgs.get(ws.org)?.sectors) || me.org?.sectors || [];
	const ro = !ws.may_write;
	const editId = Number(ctx.query.get('edit')) || 0;
	const editing = editId ? list.items.find(r => r.id === editId) : null;
	const csv = h('a.button', { id: 'risk-csv', href: `/api/v1/risks.csv?lang=${currentLang()}${org ? `&org=${org}` : ''}`, download: 'risks.csv' }, t('list.download_csv'));
	const saveChecks = h('button.primary', { type: 'button', id: 'risk-checks-save', on: { click: async () => {
		const body = {};
		for (const l of ['viewpoints', 'readiness']) {
			body[l] = {};
			for (const c of ws[l]) {
				const st = document.getElementById(`risk-${l}-${c.id}`).value;
				const note = document.getElementById(`risk-${l}-${c.id}-note`).value;
				if (st !== 'unanswered')
					body[l][c.id] = note ? { status: st, note } : { status: st };
			}
		}
		try {
			await put('/risks/checklists', body);
			toast(t('risk.saved'));
			reload();
		} catch (e) {
			toast(e.field ? `${e.field}: ${e.message}` : e.message, 'error');
		}
	} } }, t('risk.save'));
	const el = h('div.risks-page', pageHeader(org ? t('risk.title_of', { name: ws.org_name }) : title),
	    h('p.hint', t('risk.lead')),
	    ro ? h('p.banner', { id: 'risk-readonly' }, t('risk.readonly')) : null,
	    h('section.panel', { id: 'risk-summary' }, h('h2', t('risk.heatmap')),
		h('p', { id: 'risk-counts' }, t('risk.counts', { open: ws.counts.open, overdue: ws.counts.overdue, above: ws.counts.above_appetite, appetite: ws.matrix.appetite })),
		heatmap(ws)),
	    gapsPanel,
	    h('section.panel', h('h2', t('risk.register')), h('div.form-actions', csv), register(list.items, ro)),
	    ro ? null : riskForm(ws, editing, reload),
	    h('section.panel', { id: 'risk-plan-panel' }, h('h2', t('risk.plan')), plan(pl)),
	    h('section.panel', { id: 'risk-checklists' }, h('h2', t('risk.viewpoints')), h('p.hint', t('risk.viewpoints_lead')), checklist(ws, 'viewpoints', ro),
		h('h2', t('risk.readiness')), h('p.hint', t('risk.readiness_lead')), checklist(ws, 'readiness', ro),
		ro ? null : h('div.form-actions', saveChecks)),
	    profileForm(ws, ro, reload),
	    ro ? null : matrixForm(ws, reload),
	    ro ? null : sharing(ws, orgs, reload));
	return { el, title, name: 'risks' };
}
