// views/exercises.js: cross-sector exercises (分野横断的演習). NISC writes a
// scenario of timed injects (a documented JSON file, docs/api.md), starts the
// clock in real time or faster (×1–×60) and follows the facilitator view and
// the after-action report; a participant reads the injects released to its
// organisation's type, answers them and logs issues (課題).
import { h } from '../dom.js';
import { get, post } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { pageHeader, toast, orgName } from '../ui.js';
import { orgPicker } from '../dialog.js';

function createForm(orgs, reload) {
	const name = h('input', { type: 'text', id: 'ex-name' });
	const picker = orgPicker('ex-participants', [...orgs.values()].filter(o => o.type !== 'platform'), t('ex.participants_note'));
	const injects = h('textarea', { id: 'ex-injects', rows: 8, spellcheck: 'false' },
	    JSON.stringify([{ at_s: 0, to: ['ci_operator'], title: '不審メール', text: '職員が不審メールを開封した。第1報を作成せよ。' }], null, 1));
	const err = h('div.field-err', { id: 'ex-err', role: 'alert', hidden: true });
	return h('form.panel', { id: 'ex-form', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		try {
			const r = await post('/exercises', { name: name.value, participants: picker.value(), injects: JSON.parse(injects.value) });
			toast(t('ex.created', { id: r.id }));
			reload();
		} catch (e) {
			err.textContent = e.message;
			err.hidden = false;
		}
	} } }, h('h2', t('ex.create')),
	    h('div.form-line', h('label', { for: 'ex-name' }, t('ex.name')), name),
	    h('div.form-line', h('span.lbl', t('ex.participants')), picker.el),
	    h('div.form-line', h('label', { for: 'ex-injects' }, t('ex.injects')), h('p.hint', t('ex.injects_hint')), injects), err,
	    h('div.form-actions', h('button.primary', { type: 'submit', id: 'ex-submit' }, t('ex.create'))));
}

function facilitator(ex, aa, orgs, reload) {
	const speed = h('select', { id: 'ex-speed' }, [1, 2, 5, 10, 30, 60].map(s => h('option', { value: String(s) }, `×${s}`)));
	return h('section.panel', { id: 'ex-facilitator', dataset: { id: String(ex.id) } },
	    h('h2', ex.name),
	    ex.started_at ? h('p', t('ex.running', { at: fmtDate(ex.started_at), speed: ex.speed }))
		: h('div.form-line', h('label', { for: 'ex-speed' }, t('ex.speed')), speed,
		    h('button.primary', { type: 'button', id: 'ex-start', on: { click: async () => {
			await post(`/exercises/${ex.id}/start`, { speed: Number(speed.value) });
			toast(t('ex.started'));
			reload();
		    } } }, t('ex.start'))),
	    h('table.list.compact', { id: 'ex-injects-table' },
		h('thead', h('tr', h('th', '#'), h('th', t('ex.at')), h('th', t('ex.inject_title')), h('th', t('ex.released')), h('th', t('ex.responses')))),
		h('tbody', ex.injects.map(i => h('tr', { dataset: { inject: String(i.id) } }, h('td', String(i.id)), h('td', `${i.at_s}s`), h('td', i.title),
		    h('td', i.released ? fmtDate(i.released_at) : '—'),
		    h('td', i.responses.map(r => orgName(orgs, r.org)).join('、') || '—'))))),
	    aa ? h('div', { id: 'ex-after-action' }, h('h3', t('ex.after_action')), h('table.list.compact',
		h('thead', h('tr', h('th', t('ex.participant')), h('th', t('ex.answered')), h('th', t('ex.unanswered')), h('th', t('ex.issues')))),
		h('tbody', aa.participants.map(p => h('tr', { dataset: { org: String(p.org) } }, h('td', orgName(orgs, p.org)),
		    h('td', p.responses.map(r => `#${r.inject} (${r.delay_s ?? '—'}s)`).join('、') || '—'),
		    h('td', p.unanswered.map(n => `#${n}`).join('、') || '—'),
		    h('td', p.issues.map(i => i.text).join(' / ') || '—')))))) : null);
}

function participantView(ex, injects, reload) {
	const issue = h('textarea', { id: 'ex-issue', rows: 2 });
	return h('section.panel', { id: 'ex-participant', dataset: { id: String(ex.id) } },
	    h('h2', ex.name),
	    injects.injects.length ? h('ol.plain', injects.injects.map(i => {
		const ans = h('textarea', { id: `ex-answer-${i.id}`, rows: 2, 'aria-label': t('ex.answer') });
		return h('li.panel', { dataset: { inject: String(i.id) } }, h('strong', i.title), h('span.muted', ` ${fmtDate(i.released_at)}`),
		    h('p', i.text), ans, h('button', { type: 'button', id: `ex-answer-send-${i.id}`, on: { click: async () => {
			await post(`/exercises/${ex.id}/injects/${i.id}/responses`, { text: ans.value });
			toast(t('ex.answered_toast'));
			reload();
		    } } }, t('ex.answer')));
	    })) : h('p.muted', t('ex.no_injects')),
	    h('div.form-line', h('label', { for: 'ex-issue' }, t('ex.issue')), issue,
		h('button', { type: 'button', id: 'ex-issue-send', on: { click: async () => {
		    await post(`/exercises/${ex.id}/issues`, { text: issue.value });
		    toast(t('ex.issue_logged'));
		    reload();
		} } }, t('ex.issue_send'))));
}

export async function exercisesView(ctx) {
	const { me, orgs } = ctx;
	const reload = () => ctx.navigate(location.pathname + location.search, { replace: true });
	const nisc = me.org?.type === 'nisc';
	const title = t('ex.title');
	const list = (await get('/exercises')).items;
	const sel = Number(ctx.query.get('id')) || list[0]?.id;
	let detail = null;
	if (sel) {
		const ex = list.find(x => x.id === sel);
		if (ex && nisc) {
			const full = await get(`/exercises/${sel}`);
			const aa = full.started_at ? await get(`/exercises/${sel}/after-action`) : null;
			detail = facilitator(full, aa, orgs, reload);
		} else if (ex)
			detail = participantView(ex, await get(`/exercises/${sel}/injects`), reload);
	}
	const el = h('div.exercises-page', pageHeader(title), h('p.hint', t('ex.lead')),
	    nisc ? createForm(orgs, reload) : null,
	    h('section.panel', h('h2', t('ex.list')), list.length ? h('ul.plain', { id: 'ex-list' }, list.map(x =>
		h('li', { dataset: { id: String(x.id) } }, h('a', { href: `/exercises?id=${x.id}` }, x.name), ' ',
		    h('span.muted', x.started_at ? t('ex.running', { at: fmtDate(x.started_at), speed: x.speed }) : t('ex.not_started'))))) : h('p.muted', t('ex.none'))),
	    detail);
	return { el, title, name: 'exercises' };
}
