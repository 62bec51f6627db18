// views/situation.js: 大規模重要インフラサービス障害対応時 (行動計画 別紙４－２) —
// the mode's state and history, its declaration and end (a NISC approver, with
// a confirmation), and the situation board per affected sector: services
// down, the restoration estimate, the reports and advisories the user may
// read, and the damage / response-status updates, with a form to file one.
import { h } from '../dom.js';
import { get, post } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { SECTORS, servicesOf, serviceName } from '../spec.js';
import { vocabIds } from '../vocab.js';
import { pageHeader, toast, orgName } from '../ui.js';
import { openDialog } from '../dialog.js';

const CAUSES = vocabIds('ls_cause');
// Who files updates while the mode is on (core/authz.c situation.post).
const POSTERS = ['nisc', 'cas_crisis_management', 'incident_response_ministry', 'disaster_management_ministry', 'ci_ministry'];

export function modeText(m) {
	return t('mode.banner', { cause: t(`lscause.${m.cause}`), sectors: m.sectors.map(s => t(`sector.${s}`)).join('、'), at: fmtDate(m.declared_at) });
}

function declareDialog(reload) {
	const cause = h('select', { id: 'mode-cause' }, CAUSES.map(c => h('option', { value: c }, t(`lscause.${c}`))));
	const secs = h('div.org-picks', { id: 'mode-sectors', role: 'group', 'aria-label': t('mode.sectors') },
	    SECTORS.map(s => h('span.choice', h('input', { type: 'checkbox', id: `mode-s-${s}`, value: s }), h('label', { for: `mode-s-${s}` }, t(`sector.${s}`)))));
	openDialog({
		id: 'mode-dlg', title: t('mode.declare'),
		body: [h('p.hint', t('mode.declare_note')),
			h('div.form-line', h('label', { for: 'mode-cause' }, t('mode.cause')), cause),
			h('div.form-line', h('span.lbl', t('mode.sectors')), secs)],
		confirmLabel: t('mode.declare_confirm'),
		onConfirm: async () => {
			const sectors = [...secs.querySelectorAll('input:checked')].map(i => i.value);
			if (!sectors.length)
				throw new Error(t('mode.choose_sector'));
			await post('/modes/large-scale', { cause: cause.value, sectors });
			toast(t('mode.declared'));
			reload();
		},
	});
}

function endDialog(reload) {
	openDialog({
		id: 'mode-end-dlg', title: t('mode.end'), body: [h('p', t('mode.end_note'))], confirmLabel: t('mode.end_confirm'),
		onConfirm: async () => {
			await post('/modes/large-scale/end', {});
			toast(t('mode.ended'));
			reload();
		},
	});
}

function updateForm(mode, reload) {
	const sector = h('select', { id: 'sit-sector' }, mode.sectors.map(s => h('option', { value: s }, t(`sector.${s}`))));
	const kind = h('select', { id: 'sit-kind' }, ['damage', 'response'].map(k => h('option', { value: k }, t(`sit.kind.${k}`))));
	const text = h('textarea', { id: 'sit-text', rows: 3 });
	const est = h('input', { type: 'text', id: 'sit-estimate' });
	const down = h('div.org-picks', { id: 'sit-down', role: 'group', 'aria-label': t('sit.services_down') });
	const fillDown = () => down.replaceChildren(...servicesOf(sector.value).map(([id, name]) =>
	    h('span.choice', h('input', { type: 'checkbox', id: `sit-d-${id}`, value: id }), h('label', { for: `sit-d-${id}` }, name))));
	sector.addEventListener('change', fillDown);
	fillDown();
	const err = h('div.field-err', { id: 'sit-err', role: 'alert', hidden: true });
	return h('form.panel.sit-form', { id: 'sit-form', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		const body = { sector: sector.value, kind: kind.value, text: text.value };
		const d = [...down.querySelectorAll('input:checked')].map(i => i.value);
		if (d.length)
			body.services_down = d;
		if (est.value)
			body.restoration_estimate = est.value;
		try {
			await post('/situation', body);
			toast(t('sit.posted'));
			reload();
		} catch (e) {
			err.textContent = e.message;
			err.hidden = false;
		}
	} } },
	    h('h2', t('sit.post_h')),
	    h('div.form-line', h('label', { for: 'sit-sector' }, t('sit.sector')), sector),
	    h('div.form-line', h('label', { for: 'sit-kind' }, t('sit.kind')), kind),
	    h('div.form-line', h('label', { for: 'sit-text' }, t('sit.text')), text),
	    h('div.form-line', h('span.lbl', t('sit.services_down')), down),
	    h('div.form-line', h('label', { for: 'sit-estimate' }, t('sit.estimate')), est),
	    err, h('div.form-actions', h('button.primary', { type: 'submit', id: 'sit-submit' }, t('sit.post'))));
}

function sectorCard(s, orgs) {
	return h('section.panel.sit-sector', { dataset: { sector: s.sector }, 'aria-labelledby': `sit-h-${s.sector}` },
	    h('h2', { id: `sit-h-${s.sector}` }, t(`sector.${s.sector}`)),
	    h('dl.sml-facts',
		h('div', h('dt', t('sit.services_down')), h('dd.sit-down', s.services_down?.services?.length
		    ? `${s.services_down.services.map(serviceName).join('、')}（${fmtDate(s.services_down.at)}）` : t('sit.none'))),
		h('div', h('dt', t('sit.estimate')), h('dd.sit-est', s.restoration_estimate ? `${s.restoration_estimate.text}（${fmtDate(s.restoration_estimate.at)}）` : t('sit.none'))),
		h('div', h('dt', t('sit.reports')), h('dd', s.reports.length ? s.reports.map(r => h('a.chip', { href: `/reports/${r.id}` }, r.identification_number || t('report.no_r'))) : t('sit.none'))),
		h('div', h('dt', t('sit.advisories')), h('dd', s.advisories.length ? s.advisories.map(a => h('a.chip', { href: `/advisories/${a.id}` }, a.identification_number || t('adv.no_number'))) : t('sit.none')))),
	    h('h3', t('sit.updates')),
	    s.updates.length ? h('ol.plain.sit-updates', s.updates.map(u => h('li', { dataset: { kind: u.kind } },
		h('span.chip', t(`sit.kind.${u.kind}`)), ' ', h('time', { datetime: u.at }, fmtDate(u.at)), ' ',
		h('span.muted', orgName(orgs, u.by_org)), h('p', u.text)))) : h('p.muted', t('sit.no_updates')));
}

export async function situationView(ctx) {
	const { me, orgs } = ctx;
	const reload = () => ctx.navigate(location.pathname, { replace: true });
	const modes = await get('/modes');
	const mode = modes.large_scale;
	const approver = me.org?.type === 'nisc' && (me.roles || []).includes('approver');
	const title = t('mode.title');
	const actions = [];
	if (approver)
		actions.push(mode ? h('button', { type: 'button', id: 'mode-end', on: { click: () => endDialog(reload) } }, t('mode.end'))
		    : h('button.primary', { type: 'button', id: 'mode-declare', on: { click: () => declareDialog(reload) } }, t('mode.declare')));
	const board = mode ? await get('/situation') : null;
	const el = h('div.situation-page',
	    pageHeader(title, ...actions),
	    h('p.hint', t('mode.lead')),
	    mode ? h('p.mode-state.on', { id: 'mode-state' }, modeText(mode)) : h('p.mode-state', { id: 'mode-state' }, t('mode.off')),
	    mode && POSTERS.includes(me.org?.type) ? updateForm(mode, reload) : null,
	    board ? h('div.sit-board', { id: 'sit-board' }, board.sectors.map(s => sectorCard(s, orgs))) : null,
	    modes.history.length ? h('section.panel', h('h2', t('mode.history')), h('ul.plain', { id: 'mode-history' }, modes.history.map(m =>
		h('li', modeText(m), m.ended_at ? ` — ${t('mode.ended_at', { at: fmtDate(m.ended_at) })}` : '')))) : null);
	return { el, title, name: 'situation' };
}
