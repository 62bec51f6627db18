// views/peers.js: federation peers (連携先, docs/interop.md "Federation") —
// the registry an admin keeps (add a peer: the organisation that stands
// for it, the TAXII 2.1 API root and collection polled there, the
// credential, which is stored sealed and never shown again; sync now,
// enable or disable, remove) with each peer's last sync, cursor, failures
// and last error; and, for NISC analysts, what peer nodes sent (the
// federated inbox), each advisory with its TLP and the peer it came from.
import { h } from '../dom.js';
import { api, get, post } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { pageHeader, toast, orgName, tlpChip } from '../ui.js';

const dash = v => (v == null || v === '' ? '—' : String(v));

function peerRow(p, orgs, admin, reload) {
	const act = async (fn, msg) => {
		try {
			await fn();
			toast(msg);
			reload();
		} catch (e) {
			toast(e.message, 'error');
		}
	};
	const actions = admin ? h('td.actions',
	    p.url ? h('button', { type: 'button', dataset: { act: 'sync' }, disabled: !p.enabled,
		on: { click: () => act(() => post(`/peers/${p.id}/sync`), t('peer.sync_requested', { name: p.name })) } }, t('peer.sync_now')) : null,
	    h('button', { type: 'button', dataset: { act: 'toggle' },
		on: { click: () => act(() => api('PATCH', `/peers/${p.id}`, { enabled: !p.enabled }), t(p.enabled ? 'peer.disabled_msg' : 'peer.enabled_msg', { name: p.name })) } },
		t(p.enabled ? 'peer.disable' : 'peer.enable')),
	    h('button.danger', { type: 'button', dataset: { act: 'remove' },
		on: { click: () => confirm(t('peer.remove_confirm', { name: p.name })) && act(() => api('DELETE', `/peers/${p.id}`), t('peer.removed', { name: p.name })) } },
		t('peer.remove'))) : null;
	return h(`tr${p.last_error ? '.peer-error' : ''}`, { dataset: { peer: String(p.id) } },
	    h('td', h('strong', p.name), h('div.muted', orgName(orgs, p.org))),
	    h('td', p.url ? h('code', p.url) : h('span.muted', t('peer.no_url')), h('div.muted', `${p.collection} · ${t(`peer.auth.${p.auth.type}`)}`)),
	    h('td', { dataset: { col: 'last_sync' } }, p.last_ok_at ? fmtDate(p.last_ok_at) : t('peer.never'),
		p.last_try_at && p.last_try_at !== p.last_ok_at ? h('div.muted', t('peer.last_try', { at: fmtDate(p.last_try_at) })) : null),
	    h('td', { dataset: { col: 'cursor' } }, p.cursor ? h('code', p.cursor) : '—'),
	    h('td.num', { dataset: { col: 'received' } }, String(p.received)),
	    h('td', { dataset: { col: 'status' } }, !p.enabled ? h('span.muted', t('peer.off')) :
		p.last_error ? h('span.err', { role: 'note' }, t('peer.failures', { n: p.failures }), ': ', p.last_error) : t('peer.ok'),
		p.next_at ? h('div.muted', t('peer.next', { at: fmtDate(p.next_at) })) : null),
	    actions);
}

function addForm(orgs, reload) {
	const inp = (id, type = 'text', extra = {}) => h('input', { id: `peer-${id}`, type, ...extra });
	const name = inp('name'), url = inp('url', 'url', { placeholder: 'https://node.example.jp/taxii2/cishare/' });
	const coll = inp('collection', 'text', { value: 'advisories' });
	const login = inp('login'), secret = inp('secret', 'password', { autocomplete: 'new-password' });
	const interval = inp('interval', 'number', { min: 1, max: 86400, value: 300 });
	const org = h('select', { id: 'peer-org' }, [...orgs.values()].filter(o => o.type !== 'platform')
	    .map(o => h('option', { value: String(o.id) }, o.name)));
	const auth = h('select', { id: 'peer-auth' }, ['bearer', 'basic', 'none'].map(a => h('option', { value: a }, t(`peer.auth.${a}`))));
	const loginLine = h('div.form-line', { hidden: true }, h('label', { for: 'peer-login' }, t('peer.login')), login);
	const secretLine = h('div.form-line', h('label', { for: 'peer-secret' }, t('peer.secret')), secret, h('span.hint', t('peer.secret_note')));
	auth.addEventListener('change', () => {
		loginLine.hidden = auth.value !== 'basic';
		secretLine.hidden = auth.value === 'none';
	});
	const err = h('div.field-err', { id: 'peer-err', role: 'alert', hidden: true });
	return h('form.panel', { id: 'peer-form', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		const a = { type: auth.value };
		if (a.type === 'basic')
			a.login = login.value;
		if (a.type !== 'none')
			a.secret = secret.value;
		try {
			const r = await post('/peers', { name: name.value, org: Number(org.value), url: url.value.trim() || null,
			    collection: coll.value, auth: a, interval_s: Number(interval.value) });
			secret.value = '';
			toast(t('peer.created', { name: r.name }));
			reload();
		} catch (e) {
			err.textContent = e.field ? `${t('peer.field')} ${e.field}: ${e.message}` : e.message;
			err.hidden = false;
		}
	} } }, h('h2', t('peer.add')), h('p.hint', t('peer.add_hint')),
	    h('div.form-line', h('label', { for: 'peer-name' }, t('peer.name')), name),
	    h('div.form-line', h('label', { for: 'peer-org' }, t('peer.org')), org, h('span.hint', t('peer.org_note'))),
	    h('div.form-line', h('label', { for: 'peer-url' }, t('peer.url')), url, h('span.hint', t('peer.url_note'))),
	    h('div.form-line', h('label', { for: 'peer-collection' }, t('peer.collection')), coll),
	    h('div.form-line', h('label', { for: 'peer-auth' }, t('peer.auth_type')), auth), loginLine, secretLine,
	    h('div.form-line', h('label', { for: 'peer-interval' }, t('peer.interval')), interval), err,
	    h('div.form-actions', h('button.primary', { type: 'submit', id: 'peer-submit' }, t('peer.add'))));
}

function inboxSection(items) {
	return h('section.panel', { id: 'fed-inbox' }, h('h2', t('peer.inbox')), h('p.hint', t('peer.inbox_hint')),
	    items.length ? h('table.list.compact', h('thead', h('tr', ['tlp', 'title', 'source', 'received_when'].map(c => h('th', { scope: 'col' }, t(`peer.col.${c}`))))),
		h('tbody', items.map(i => h('tr', { dataset: { stix: i.stix_id, tlp: i.tlp } },
		    h('td', tlpChip(i.tlp)), h('td', h('strong', dash(i.name)),
			i.description ? h('div.muted.pre', i.description) : null),
		    h('td', dash(i.peer?.name)), h('td', fmtDate(i.received_at)))))) : h('p.muted', t('peer.inbox_empty')));
}

export async function peersView(ctx) {
	const { orgs, me } = ctx;
	const reload = () => ctx.navigate(location.pathname, { replace: true });
	const title = t('peer.title');
	const admin = (me.roles || []).includes('admin');
	const nisc = me.org?.type === 'nisc' && (me.roles || []).some(r => r === 'analyst' || r === 'approver');
	const [peers, inbox] = await Promise.all([get('/peers'), nisc ? get('/inbox/federated') : null]);
	const cols = ['peer', 'url', 'last_sync', 'cursor', 'received', 'status'].concat(admin ? ['actions'] : []);
	const table = peers.items.length ? h('table.list', { id: 'peer-list' },
	    h('thead', h('tr', cols.map(c => h('th', { scope: 'col' }, t(`peer.col.${c}`))))),
	    h('tbody', peers.items.map(p => peerRow(p, orgs, admin, reload)))) : h('p.muted', { id: 'peer-none' }, t('peer.none'));
	const el = h('div.peers-page', pageHeader(title, h('button', { type: 'button', id: 'peer-refresh', on: { click: reload } }, t('peer.refresh'))),
	    h('p.hint', t('peer.lead')), h('section.panel', h('h2', t('peer.list')), table),
	    admin ? addForm(orgs, reload) : null, inbox ? inboxSection(inbox.items) : null);
	return { el, title, name: 'peers' };
}
