// views/admin.js: 管理 — organisations, users, tokens and notification
// channels.  What a user may do is decided by the server (admin, org_admin,
// or the user for itself); sections it refuses show its answer.
import { h, clear, fieldId } from '../dom.js';
import { api, get, post, getAll, orgs as loadOrgs } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { SECTORS, ORG_TYPES, ROLES } from '../spec.js';
import { pageHeader, toast, errorBox, orgName } from '../ui.js';
import { openDialog } from '../dialog.js';
import { errorText, serverDetail } from '../errors.js';


const has = (me, r) => (me.roles || []).includes(r);

function line(id, label, control, hint) {
	return h('div.form-line', { dataset: { field: id } }, h('label', { for: fieldId(id) }, label), control,
	    hint ? h('span.hint', hint) : null, h('div.field-err', { id: fieldId(id) + '-err', hidden: true }));
}

function groupLine(id, label, control) {
	return h('div.form-line', h('span.lbl', { id: fieldId(id) + '-lbl' }, label), control, h('div.field-err', { id: fieldId(id) + '-err', hidden: true }));
}

function checks(id, values, labelFn, checked = []) {
	return h('div.org-picks', { id: fieldId(id), role: 'group', 'aria-labelledby': fieldId(id) + '-lbl' },
	    values.map(v => h('span.choice', h('input', { type: 'checkbox', id: `${fieldId(id)}-${v}`, value: v, checked: checked.includes(v) }),
		h('label', { for: `${fieldId(id)}-${v}` }, labelFn(v)))));
}

function checked(root) {
	return [...root.querySelectorAll('input:checked')].map(i => i.value);
}

// Submit a small admin form: clears/sets field errors from the server's answer.
function adminForm(id, fields, onSubmit) {
	const status = h('p.form-status', { role: 'status', 'aria-live': 'polite' });
	const form = h('form.admin-form', { id, novalidate: true, on: { submit: async ev => {
		ev.preventDefault();
		for (const e of form.querySelectorAll('.field-err')) {
			e.hidden = true;
			e.textContent = '';
		}
		status.textContent = '';
		try {
			await onSubmit(status);
		} catch (e) {
			const target = e.field ? form.querySelector('#' + CSS.escape(fieldId(e.field.split('.')[0]) + '-err')) : null;
			if (target) {
				target.textContent = errorText(e);
				target.hidden = false;
			}
			clear(status);
			status.append(h('span.error-text', errorText(e)), serverDetail(e) || '');
		}
	} } }, fields);
	return form;
}

function section(id, title, ...children) {
	return h('section.panel', { id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), children);
}

async function orgsSection(ctx) {
	const all = await loadOrgs(true);
	const rows = [...all.values()].map(o => h('tr', { dataset: { id: String(o.id) } },
	    h('td.num', String(o.id)), h('td', o.name), h('td', t(`orgtype.${o.type}`)),
	    h('td', (o.sectors || []).map(s => t(`sector.${s}`)).join('、')),
	    h('td', o.ceptoar ? orgName(all, o.ceptoar) : ''), h('td.date', fmtDate(o.created_at))));
	const table = h('table.list.compact', h('thead', h('tr', ['id', 'name', 'type', 'sectors', 'ceptoar', 'created'].map(c => h('th', { scope: 'col' }, t(`admin.org.${c}`))))), h('tbody', rows));
	let create = null;
	if (has(ctx.me, 'admin')) {
		const name = h('input', { type: 'text', id: fieldId('name') });
		const type = h('select', { id: fieldId('type') }, ORG_TYPES.map(x => h('option', { value: x }, t(`orgtype.${x}`))));
		const secs = checks('sectors', SECTORS, s => t(`sector.${s}`));
		const cep = h('select', { id: fieldId('ceptoar') }, h('option', { value: '' }, t('admin.org.no_ceptoar')),
		    [...all.values()].filter(o => o.type === 'ceptoar_secretariat').map(o => h('option', { value: String(o.id) }, o.name)));
		const pre = h('input', { type: 'checkbox', id: fieldId('pre_arranged') });
		create = h('details', h('summary', t('admin.org.create')), adminForm('org-create', [
			line('name', t('admin.org.name'), name), line('type', t('admin.org.type'), type), groupLine('sectors', t('admin.org.sectors'), secs),
			line('ceptoar', t('admin.org.ceptoar'), cep), h('div.form-line', h('span.choice', pre, h('label', { for: fieldId('pre_arranged') }, t('admin.org.pre_arranged'))),
			    h('div.field-err', { id: fieldId('pre_arranged') + '-err', hidden: true })),
			h('div.form-actions', h('button.primary', { type: 'submit' }, t('admin.org.create')))], async status => {
			const body = { name: name.value, type: type.value, sectors: checked(secs), ceptoar: cep.value ? Number(cep.value) : null };
			if (type.value === 'cybersecurity_agency')
				body.pre_arranged = pre.checked;
			const r = await post('/orgs', body);
			status.textContent = t('admin.org.created_msg', { id: r.id });
			toast(t('admin.org.created_msg', { id: r.id }));
		}));
	}
	// The strings the advisory de-identification check looks for (PATCH /orgs/{id}).
	let idents = null;
	if (has(ctx.me, 'admin') || has(ctx.me, 'org_admin')) {
		const orgSel = h('select', { id: fieldId('ident_org') }, [...all.values()].filter(o => has(ctx.me, 'admin') || o.id === ctx.me.org.id)
		    .map(o => h('option', { value: String(o.id) }, o.name)));
		orgSel.value = String(ctx.me.org.id);
		const list = h('textarea', { id: fieldId('identifiers'), rows: 4 });
		idents = h('details', h('summary', t('admin.org.identifiers')), h('p.hint', t('admin.org.identifiers_note')),
		    adminForm('org-identifiers', [line('ident_org', t('admin.user.org'), orgSel), line('identifiers', t('admin.org.identifiers_list'), list),
			h('div.form-actions', h('button.primary', { type: 'submit' }, t('admin.org.identifiers_save')))], async status => {
			const values = list.value.split('\n').map(x => x.trim()).filter(Boolean);
			await api('PATCH', `/orgs/${orgSel.value}`, { identifiers: values });
			status.textContent = t('admin.org.identifiers_saved', { n: values.length });
		}));
	}
	return section('admin-orgs', t('admin.orgs'), table, create, idents);
}

// 仮パスワードの発行: a one-time password the user must replace at the next login.
function resetDialog(u) {
	const out = h('div', { id: 'pw-reset-result', 'aria-live': 'polite' });
	openDialog({
		id: 'pw-reset-dlg', title: t('admin.user.pw_reset_title', { login: u.login }), confirmLabel: t('admin.user.pw_reset'),
		body: h('div', h('p', t('admin.user.pw_reset_body')), out),
		onConfirm: async () => {
			const r = await post(`/users/${u.id}/password-reset`);
			// Shown once, in a second dialog the admin closes after passing it on.
			openDialog({
				id: 'pw-temp-dlg', title: t('admin.user.pw_temp_title', { login: u.login }), confirmLabel: t('common.close'),
				body: h('div', h('p', t('admin.user.pw_temp_body')), h('p', h('code.temp-password', { id: 'pw-temp' }, r.temporary_password))),
				onConfirm: async () => {},
			});
		},
	});
}

async function usersSection(ctx) {
	const me = ctx.me;
	const all = ctx.orgs;
	const isAdmin = has(me, 'admin');
	if (!isAdmin && !has(me, 'org_admin'))
		return section('admin-users', t('admin.users'), h('p.muted', t('admin.users_need_role')),
		    tokensBlock(ctx, h('select', { id: fieldId('token_user') }, h('option', { value: String(me.id) }, me.login))));
	const orgSel = h('select', { id: 'users-org' }, [...all.values()].filter(o => isAdmin || o.id === me.org.id).map(o => h('option', { value: String(o.id) }, o.name)));
	orgSel.value = String(me.org.id);
	const listBox = h('div', { 'aria-live': 'polite' });
	const tokenUser = h('select', { id: fieldId('token_user') });
	const loadUsers = async () => {
		clear(listBox);
		try {
			const users = await getAll(`/users?org=${orgSel.value}`);
			listBox.append(h('table.list.compact', { id: 'users-table' },
			    h('thead', h('tr', ['login', 'display_name', 'roles', 'nda_col', 'email', 'created', 'actions'].map(c => h('th', { scope: 'col' }, t(`admin.user.${c}`))))),
			    h('tbody', users.map(u => h('tr', { dataset: { login: u.login } }, h('td', u.login), h('td', u.display_name || ''),
				h('td', u.roles.map(r => t(`role.${r}`)).join('・')), h('td', u.nda_contractor ? t('admin.user.nda_yes') : ''),
				h('td', u.email || ''), h('td.date', fmtDate(u.created_at)),
				h('td', u.id !== me.id && (isAdmin || !u.roles.includes('admin')) ? h('button.small', { type: 'button', id: `pw-reset-${u.id}`,
				    on: { click: () => resetDialog(u) } }, t('admin.user.pw_reset')) : null))))));
			clear(tokenUser);
			for (const u of users)
				tokenUser.append(h('option', { value: String(u.id) }, `${u.login}${u.display_name ? ' — ' + u.display_name : ''}`));
		} catch (e) {
			listBox.append(errorBox(errorText(e)));
		}
	};
	orgSel.addEventListener('change', loadUsers);
	await loadUsers();
	const login = h('input', { type: 'text', id: fieldId('login'), autocomplete: 'off' });
	const display = h('input', { type: 'text', id: fieldId('display_name') });
	const roles = checks('roles', ROLES.filter(r => isAdmin || r !== 'admin'), r => t(`role.${r}`), ['member']);
	const nda = h('input', { type: 'checkbox', id: fieldId('nda_contractor') });
	const pw = h('input', { type: 'password', id: fieldId('password'), autocomplete: 'new-password' });
	const email = h('input', { type: 'email', id: fieldId('email') });
	const phone = h('input', { type: 'tel', id: fieldId('phone') });
	const fax = h('input', { type: 'tel', id: fieldId('fax') });
	const dept = h('input', { type: 'text', id: fieldId('department') });
	const create = h('details', h('summary', t('admin.user.create')), adminForm('user-create', [
		line('login', t('admin.user.login'), login, t('admin.user.login_hint')), line('display_name', t('admin.user.display_name'), display),
		groupLine('roles', t('admin.user.roles'), roles),
		h('div.form-line', h('span.choice', nda, h('label', { for: fieldId('nda_contractor') }, t('admin.user.nda'))), h('div.field-err', { id: fieldId('nda_contractor') + '-err', hidden: true })),
		line('password', t('admin.user.password'), pw, t('admin.user.password_hint')), line('email', t('admin.user.email'), email),
		line('phone', t('admin.user.phone'), phone), line('fax', t('admin.user.fax'), fax), line('department', t('admin.user.department'), dept),
		h('div.form-actions', h('button.primary', { type: 'submit' }, t('admin.user.create')))], async status => {
		const body = { org: Number(orgSel.value), login: login.value, display_name: display.value || null, roles: checked(roles),
			nda_contractor: nda.checked, password: pw.value || null };
		if (email.value)
			body.email = email.value;
		if (phone.value)
			body.phone = phone.value;
		if (fax.value)
			body.fax = fax.value;
		if (dept.value)
			body.department = dept.value;
		const r = await post('/users', body);
		pw.value = '';
		status.textContent = t('admin.user.created_msg', { id: r.id });
		await loadUsers();
	}));
	return section('admin-users', t('admin.users'), h('div.form-line', h('label', { for: 'users-org' }, t('admin.user.org')), orgSel), listBox, create,
	    tokensBlock(ctx, tokenUser));
}

function tokensBlock(ctx, userSel) {
	if (!userSel.options.length)
		userSel.append(h('option', { value: String(ctx.me.id) }, ctx.me.login));
	const label = h('input', { type: 'text', id: fieldId('label'), value: 'cli' });
	const out = h('div.token-out', { 'aria-live': 'polite' });
	return h('div.subsection', { id: 'admin-tokens' }, h('h3', t('admin.tokens')), h('p.hint', t('admin.tokens_note')),
	    adminForm('token-create', [line('token_user', t('admin.token.user'), userSel), line('label', t('admin.token.label'), label),
		h('div.form-actions', h('button.primary', { type: 'submit' }, t('admin.token.create')))], async () => {
		const r = await post(`/users/${userSel.value}/tokens`, { label: label.value });
		clear(out);
		out.append(h('label', { for: 'new-token' }, t('admin.token.once')), h('input', { type: 'text', id: 'new-token', readOnly: true, value: r.token, class: 'mono' }));
		out.querySelector('input').select();
	}), out);
}

async function channelsSection(ctx) {
	const me = ctx.me;
	const box = h('div', { 'aria-live': 'polite' });
	const load = async () => {
		clear(box);
		try {
			const r = await get('/notification-channels');
			if (!r.items.length) {
				box.append(h('p.muted', t('admin.chan.none')));
				return;
			}
			box.append(h('table.list.compact', { id: 'channels-table' },
			    h('thead', h('tr', ['kind', 'target', 'scope', 'active', 'created', 'action'].map(c => h('th', { scope: 'col' }, t(`admin.chan.${c}`))))),
			    h('tbody', r.items.map(c => h('tr', { dataset: { id: String(c.id) } }, h('td', t(`admin.chan.kind.${c.kind}`)), h('td.mono', c.target),
				h('td', c.user ? t('admin.chan.scope_user') : t('admin.chan.scope_org', { org: orgName(ctx.orgs, c.org) })),
				h('td', c.active ? t('admin.chan.on') : t('admin.chan.off')), h('td.date', fmtDate(c.created_at)),
				h('td', h('button.small', { type: 'button', on: { click: async () => {
					try {
						await post(`/notification-channels/${c.id}/${c.active ? 'disable' : 'enable'}`);
						await load();
					} catch (e) {
						toast(errorText(e), 'error');
					}
				} } }, c.active ? t('admin.chan.disable') : t('admin.chan.enable'))))))));
		} catch (e) {
			box.append(errorBox(errorText(e)));
		}
	};
	await load();
	const kind = h('select', { id: fieldId('kind') }, ['email', 'webhook'].map(k => h('option', { value: k }, t(`admin.chan.kind.${k}`))));
	const target = h('input', { type: 'text', id: fieldId('target') });
	const scope = h('select', { id: fieldId('user') }, h('option', { value: 'me' }, t('admin.chan.scope_user')),
	    has(me, 'org_admin') || has(me, 'admin') ? h('option', { value: 'org' }, t('admin.chan.scope_org', { org: me.org.name })) : null);
	const secret = h('div.token-out', { 'aria-live': 'polite' });
	const create = h('details', h('summary', t('admin.chan.create')), adminForm('chan-create', [
		line('kind', t('admin.chan.kind'), kind), line('target', t('admin.chan.target'), target, t('admin.chan.target_hint')),
		line('user', t('admin.chan.scope'), scope),
		h('div.form-actions', h('button.primary', { type: 'submit' }, t('admin.chan.create')))], async status => {
		const r = await post('/notification-channels', { kind: kind.value, target: target.value, user: scope.value === 'me' ? me.id : null, org: me.org.id });
		status.textContent = t('admin.chan.created_msg');
		clear(secret);
		if (r.secret)
			secret.append(h('label', { for: 'chan-secret' }, t('admin.chan.secret_once')), h('input', { type: 'text', id: 'chan-secret', readOnly: true, value: r.secret, class: 'mono' }));
		await load();
	}), secret);
	let outbox = null;
	if (has(me, 'org_admin') || has(me, 'admin')) {
		outbox = h('div.subsection', h('h3', t('admin.notif.title')), h('p.loading', t('common.loading')));
		get('/notifications?limit=50').then(r => {
			outbox.querySelector('.loading')?.remove();
			outbox.append(r.items.length ? h('table.list.compact', { id: 'notifications-table' },
			    h('thead', h('tr', ['created', 'subject', 'status', 'attempts', 'last_error', 'next'].map(c => h('th', { scope: 'col' }, t(`admin.notif.${c}`))))),
			    h('tbody', r.items.map(n => h('tr', h('td.date', fmtDate(n.created_at)), h('td', n.subject || ''),
				h('td', t(`admin.notif.status.${['pending', 'sent', 'failed'].includes(n.status) ? n.status : 'pending'}`)),
				h('td.num', String(n.attempts ?? '')), h('td', n.last_error || ''), h('td.date', fmtDate(n.next_attempt_at || n.sent_at))))))
			    : h('p.muted', t('admin.notif.none')));
		}).catch(e => {
			outbox.querySelector('.loading')?.remove();
			outbox.append(errorBox(errorText(e)));
		});
	}
	return section('admin-channels', t('admin.channels'), box, create, outbox);
}

export async function adminView(ctx) {
	const title = t('admin.title');
	const [orgsSec, usersSec, chanSec] = await Promise.all([orgsSection(ctx), usersSection(ctx), channelsSection(ctx)]);
	const el = h('div.admin-page', pageHeader(title),
	    h('nav.local-nav', { 'aria-label': t('admin.sections') }, h('ul',
		h('li', h('a', { href: '#admin-orgs', on: { click: jump } }, t('admin.orgs'))),
		h('li', h('a', { href: '#admin-users', on: { click: jump } }, t('admin.users'))),
		h('li', h('a', { href: '#admin-tokens', on: { click: jump } }, t('admin.tokens'))),
		h('li', h('a', { href: '#admin-channels', on: { click: jump } }, t('admin.channels'))))),
	    usersSec, chanSec, orgsSec);
	return { el, title, name: 'admin' };
}

function jump(ev) {
	ev.preventDefault();
	const el = document.querySelector(ev.currentTarget.getAttribute('href'));
	el?.scrollIntoView();
	el?.querySelector('h2, h3')?.setAttribute('tabindex', '-1');
	el?.querySelector('h2, h3')?.focus();
}
