// views/login.js: POST /api/v1/session {login, password, otp?} -> HttpOnly cookie + CSRF token.
import { h } from '../dom.js';
import { post } from '../api.js';
import { t } from '../i18n.js';
import { errorText } from '../errors.js';
import { passwordField } from '../ui.js';

export async function loginView(ctx) {
	const err = h('div.field-err', { id: 'login-err', role: 'alert', 'aria-live': 'assertive', hidden: true });
	const login = h('input', { type: 'text', id: 'login', name: 'username', autocomplete: 'username', required: true,
	    autocapitalize: 'none', spellcheck: 'false', 'aria-describedby': 'login-err' });
	const password = h('input', { type: 'password', id: 'password', name: 'password', autocomplete: 'current-password',
	    required: true, 'aria-describedby': 'login-err' });
	// After a password reset: the temporary password and a new one (POST /session new_password).
	const newPw = h('input', { type: 'password', id: 'new-password', autocomplete: 'new-password', 'aria-describedby': 'login-err new-password-hint' });
	const newLine = h('div.form-line', { id: 'new-password-line', hidden: true },
	    h('label', { for: 'new-password' }, t('login.new_password')), passwordField(newPw), h('p.hint', { id: 'new-password-hint' }, t('login.new_password_hint')));
	// A second factor (TOTP): asked for when the server answers that one is needed (field otp).
	const otp = h('input', { type: 'text', id: 'otp', name: 'otp', inputmode: 'numeric', autocomplete: 'one-time-code',
	    maxlength: 12, spellcheck: 'false', autocapitalize: 'none', 'aria-describedby': 'login-err otp-hint' });
	const otpLine = h('div.form-line', { id: 'otp-line', hidden: true },
	    h('label', { for: 'otp' }, t('login.otp')), otp, h('p.hint', { id: 'otp-hint' }, t('login.otp_hint')));
	const submit = h('button.primary', { type: 'submit', id: 'login-submit' }, t('login.submit'));
	const form = h('form.login-form', { novalidate: true, on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		if (!login.value || !password.value) {
			err.textContent = t('login.missing');
			err.hidden = false;
			(login.value ? password : login).focus();
			return;
		}
		submit.disabled = true;
		try {
			const body = { login: login.value, password: password.value };
			if (!newLine.hidden && newPw.value)
				body.new_password = newPw.value;
			if (!otpLine.hidden && otp.value.trim())
				body.otp = otp.value.trim();
			const data = await post('/session', body, { noAuthRedirect: true });
			await ctx.signedIn(data);
			const next = ctx.query.get('next');
			ctx.navigate(next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/inbox', { replace: true });
		} catch (e) {
			err.textContent = errorText(e);
			err.hidden = false;
			if (e.field === 'new_password') {
				// The password was reset: keep the temporary one, ask for a new one.
				newLine.hidden = false;
				err.textContent = t(e.status !== 409 ? 'login.new_password_rule' :
				    /breached/.test(e.serverMessage) ? 'login.must_change_breached' : 'login.must_change');
				newPw.focus();
				return;
			}
			if (e.field === 'otp') {
				// The password was right: keep it, ask for the authenticator's code.
				err.textContent = t(otpLine.hidden ? 'login.otp_needed' : 'login.otp_wrong');
				otpLine.hidden = false;
				otp.value = '';
				otp.focus();
				return;
			}
			password.value = '';
			password.focus();
		} finally {
			submit.disabled = false;
		}
	} } },
	h('div.form-line', h('label', { for: 'login' }, t('login.login')), login),
	h('div.form-line', h('label', { for: 'password' }, t('login.password')), passwordField(password)),
	newLine,
	otpLine,
	err,
	h('div.form-actions', submit));
	const el = h('div.login-page',
	    h('section.login-card', { 'aria-labelledby': 'page-title' },
		h('h1', { id: 'page-title', tabindex: '-1' }, t('login.title')),
		h('p.login-lead', t('login.lead')),
		form,
		h('p.login-note', t('login.note')),
		h('p.login-note', h('a', { href: '/public/stats', id: 'public-stats-link' }, t('login.public_stats')))));
	return { el, title: t('login.title'), name: 'login', after: () => login.focus() };
}
