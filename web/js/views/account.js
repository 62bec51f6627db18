// views/account.js: the account's security page (アカウント) — the TOTP
// second factor (RFC 6238; docs/api.md "Second factor (TOTP)"): enroll (the
// secret and the otpauth:// URI as text, for an authenticator app),
// confirm with a code (the ten recovery codes, shown once), and disable
// with a code or a recovery code.  With --require-totp a user of such a
// role lands here after its password and can do nothing else until done.
// And the password: changed with the current one (POST /users/{id}/password,
// ASVS 2.1.6); every session ends, so the user logs in again.
import { h, clear } from '../dom.js';
import { api, get, post } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { pageHeader, toast, passwordField } from '../ui.js';
import { errorText } from '../errors.js';

const codeInput = (id, describedBy) => h('input', { type: 'text', id, inputmode: 'numeric', autocomplete: 'one-time-code',
    maxlength: 12, size: 12, spellcheck: 'false', autocapitalize: 'none', 'aria-describedby': describedBy });

function errLine(id) {
	return h('div.field-err', { id, role: 'alert', 'aria-live': 'assertive', hidden: true });
}

function showErr(el, e) {
	el.textContent = e.field === 'code' || e.field === 'otp' ? t('totp.wrong_code') : errorText(e);
	el.hidden = false;
}

function recoveryPanel(codes) {
	return h('section.panel', { id: 'totp-recovery', 'aria-labelledby': 'totp-recovery-title' },
	    h('h2', { id: 'totp-recovery-title' }, t('totp.recovery_title')),
	    h('p', { role: 'note' }, t('totp.recovery_note')),
	    h('ol.totp-codes', codes.map(c => h('li', h('code', c)))));
}

function enrollPanel(me, reload, body) {
	const err = errLine('totp-err');
	const start = h('button.primary', { type: 'button', id: 'totp-enroll', on: { click: async () => {
		err.hidden = true;
		start.disabled = true;
		try {
			const r = await post(`/users/${me.id}/totp`, {});
			const code = codeInput('totp-code', 'totp-err totp-code-hint');
			const confirmBtn = h('button.primary', { type: 'submit', id: 'totp-confirm' }, t('totp.confirm'));
			const form = h('form.panel', { id: 'totp-confirm-form', novalidate: true, on: { submit: async ev => {
				ev.preventDefault();
				err.hidden = true;
				confirmBtn.disabled = true;
				try {
					const c = await post(`/users/${me.id}/totp/confirm`, { code: code.value.trim() });
					toast(t('totp.enabled_msg'));
					await reload(c.recovery_codes);
				} catch (e) {
					showErr(err, e);
					code.focus();
				} finally {
					confirmBtn.disabled = false;
				}
			} } },
			    h('h2', t('totp.step2')),
			    h('p', t('totp.step2_lead')),
			    h('dl.totp-secret',
				h('dt', t('totp.secret')), h('dd', h('code', { id: 'totp-secret' }, r.secret)),
				h('dt', t('totp.uri')), h('dd', h('code', { id: 'totp-uri' }, r.uri)),
				h('dt', t('totp.params')), h('dd', t('totp.params_text'))),
			    h('div.form-line', h('label', { for: 'totp-code' }, t('totp.code')), code,
				h('p.hint', { id: 'totp-code-hint' }, t('totp.code_hint'))),
			    err,
			    h('div.form-actions', confirmBtn));
			clear(body);
			body.append(form);
			code.focus();
		} catch (e) {
			showErr(err, e);
			start.disabled = false;
		}
	} } }, t('totp.enroll'));
	return h('div', h('p', t('totp.off_lead')), err, h('div.form-actions', start));
}

function disablePanel(me, st, reload) {
	const err = errLine('totp-disable-err');
	const code = codeInput('totp-disable-code', 'totp-disable-err');
	const btn = h('button.danger', { type: 'submit', id: 'totp-disable' }, t('totp.disable'));
	return h('form.panel', { id: 'totp-disable-form', novalidate: true, on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		if (!confirm(t('totp.disable_confirm')))
			return;
		btn.disabled = true;
		try {
			await api('DELETE', `/users/${me.id}/totp`, { code: code.value.trim() });
			toast(t('totp.disabled_msg'));
			await reload();
		} catch (e) {
			showErr(err, e);
			code.focus();
		} finally {
			btn.disabled = false;
		}
	} } },
	    h('h2', t('totp.disable_title')),
	    h('p', t('totp.disable_lead')),
	    h('div.form-line', h('label', { for: 'totp-disable-code' }, t('totp.code_or_recovery')), code),
	    err,
	    h('div.form-actions', btn));
}

function passwordPanel(me, ctx) {
	const err = errLine('pw-err');
	const cur = h('input', { type: 'password', id: 'pw-current', autocomplete: 'current-password', 'aria-describedby': 'pw-err' });
	const npw = h('input', { type: 'password', id: 'pw-new', autocomplete: 'new-password', 'aria-describedby': 'pw-err pw-new-hint' });
	const btn = h('button.primary', { type: 'submit', id: 'pw-change' }, t('password.change'));
	return h('form.panel', { id: 'pw-form', novalidate: true, 'aria-labelledby': 'pw-title', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		if (!cur.value || !npw.value) {
			err.textContent = t('password.missing');
			err.hidden = false;
			(cur.value ? npw : cur).focus();
			return;
		}
		btn.disabled = true;
		try {
			await post(`/users/${me.id}/password`, { current_password: cur.value, new_password: npw.value }, { noAuthRedirect: true });
			cur.value = npw.value = '';
			await ctx.signOut(t('password.changed_msg'));
		} catch (e) {
			err.textContent = e.field === 'current_password' && e.status === 400 ? t('password.wrong_current') : errorText(e);
			err.hidden = false;
			(e.field === 'new_password' ? npw : cur).focus();
		} finally {
			btn.disabled = false;
		}
	} } },
	    h('h2', { id: 'pw-title' }, t('password.title')),
	    h('p', t('password.lead')),
	    h('div.form-line', h('label', { for: 'pw-current' }, t('password.current')), passwordField(cur)),
	    h('div.form-line', h('label', { for: 'pw-new' }, t('password.new')), passwordField(npw),
		h('p.hint', { id: 'pw-new-hint' }, t('password.rule'))),
	    err,
	    h('div.form-actions', btn));
}

export async function accountView(ctx) {
	const me = ctx.me;
	const body = h('div', { id: 'totp-body' });
	const el = h('div', pageHeader(t('account.title')),
	    h('section.panel', { 'aria-labelledby': 'account-who' },
		h('h2', { id: 'account-who' }, t('account.who')),
		h('dl.kv', h('dt', t('login.login')), h('dd', me.login),
		    h('dt', t('account.org')), h('dd', me.org?.name || ''),
		    h('dt', t('account.roles')), h('dd', (me.roles || []).map(r => t(`role.${r}`)).join('・')))),
	    h('section.panel', { id: 'totp-panel', 'aria-labelledby': 'totp-title' },
		h('h2', { id: 'totp-title' }, t('totp.title')), body),
	    passwordPanel(me, ctx));
	const load = async codes => {
		const st = await get(`/users/${me.id}/totp`);
		clear(body);
		body.dataset.state = st.enabled ? 'enabled' : st.pending ? 'pending' : 'off';
		if (st.required && !st.enabled)
			body.append(h('p.warn', { id: 'totp-required', role: 'alert' }, t('totp.required')));
		if (st.enabled) {
			body.append(h('p', { id: 'totp-status' }, t('totp.on', { at: fmtDate(st.confirmed_at) })),
			    h('p', { id: 'totp-left' }, t('totp.recovery_left', { n: st.recovery_left })));
			if (codes)
				body.append(recoveryPanel(codes));
			body.append(disablePanel(me, st, load));
		} else {
			body.append(h('p', { id: 'totp-status' }, t('totp.off')));
			body.append(enrollPanel(me, load, body));
		}
	};
	await load();
	return { el, title: t('account.title'), name: 'account' };
}
