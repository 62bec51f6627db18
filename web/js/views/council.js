// views/council.js: the CEPTOAR council space (セプター協議会) — the posts the
// user's organisation may read; a member CEPTOAR writes to all members or to
// some, with a TLP, and shares its own posts with government organisations
// or other members by its own decision (行動計画 IV 5.1: no government body
// is superior to the council).
import { h } from '../dom.js';
import { get, post } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { TLPS } from '../spec.js';
import { pageHeader, toast, orgName, tlpChip } from '../ui.js';
import { orgPickerDialog } from '../dialog.js';

const GOV = ['nisc', 'cas_crisis_management', 'ci_ministry', 'cybersecurity_ministry', 'incident_response_ministry', 'disaster_management_ministry', 'cybersecurity_agency'];

function composeForm(orgs, me, reload) {
	const members = [...orgs.values()].filter(o => o.type === 'ceptoar_secretariat' && o.id !== me.org?.id);
	const text = h('textarea', { id: 'council-text', rows: 4 });
	const tlp = h('select', { id: 'council-tlp' }, TLPS.map(x => h('option', { value: x, selected: x === 'amber' }, `TLP:${t(`tlp.${x}.code`)}`)));
	const all = h('input', { type: 'checkbox', id: 'council-all', checked: true });
	const picks = h('div.org-picks', { id: 'council-to', role: 'group', 'aria-label': t('council.to'), hidden: true },
	    members.map(o => h('span.choice', h('input', { type: 'checkbox', id: `council-to-${o.id}`, value: String(o.id) }), h('label', { for: `council-to-${o.id}` }, o.name))));
	all.addEventListener('change', () => { picks.hidden = all.checked; });
	const err = h('div.field-err', { id: 'council-err', role: 'alert', hidden: true });
	return h('form.panel', { id: 'council-form', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		const to = all.checked ? 'all' : [...picks.querySelectorAll('input:checked')].map(i => Number(i.value));
		try {
			await post('/council/posts', { text: text.value, tlp: tlp.value, to });
			toast(t('council.posted'));
			reload();
		} catch (e) {
			err.textContent = e.message;
			err.hidden = false;
		}
	} } },
	    h('h2', t('council.compose')),
	    h('div.form-line', h('label', { for: 'council-text' }, t('council.text')), text),
	    h('div.form-line', h('label', { for: 'council-tlp' }, 'TLP'), tlp),
	    h('div.form-line', h('span.choice', all, h('label', { for: 'council-all' }, t('council.to_all'))), picks),
	    err, h('div.form-actions', h('button.primary', { type: 'submit', id: 'council-submit' }, t('council.post'))));
}

function shareButton(p, orgs, me, reload) {
	const candidates = [...orgs.values()].filter(o => GOV.includes(o.type) || (o.type === 'ceptoar_secretariat' && o.id !== me.org?.id));
	return h('button.small', { type: 'button', dataset: { share: String(p.id) }, on: { click: () => orgPickerDialog({
		id: 'council-share-dlg', pickerId: 'council-share-to', candidates, note: t('council.share_note'),
		title: t('council.share'), confirmLabel: t('council.share'),
		send: async to => {
			await post(`/council/posts/${p.id}/share`, { to });
			toast(t('council.shared', { n: to.length }));
			reload();
		},
	}) } }, t('council.share'));
}

export async function councilView(ctx) {
	const { me, orgs } = ctx;
	const reload = () => ctx.navigate(location.pathname, { replace: true });
	const res = await get('/council/posts?limit=100');
	const ceptoar = me.org?.type === 'ceptoar_secretariat';
	const title = t('council.title');
	const list = res.items.length ? h('ol.plain.council-posts', { id: 'council-posts' }, res.items.map(p => h('li.panel', { dataset: { id: String(p.id) } },
	    h('div.council-head', h('strong', orgName(orgs, p.author_org)), ' ', tlpChip(p.tlp), ' ',
		h('time', { datetime: p.created_at }, fmtDate(p.created_at)), ' ',
		h('span.muted', p.to === 'all' ? t('council.to_all') : t('council.to_some', { names: p.to.map(id => orgName(orgs, id)).join('、') }))),
	    h('p.council-text', p.text),
	    p.shared_with ? h('p.small.muted', p.shared_with.length ? t('council.shared_with', { names: p.shared_with.map(id => orgName(orgs, id)).join('、') }) : t('council.not_shared')) : null,
	    p.author_org === me.org?.id ? shareButton(p, orgs, me, reload) : null)))
	    : h('p.muted', { id: 'council-posts' }, t('council.none'));
	const el = h('div.council-page', pageHeader(title), h('p.hint', t('council.lead')),
	    ceptoar ? composeForm(orgs, me, reload) : null, list);
	return { el, title, name: 'council' };
}
