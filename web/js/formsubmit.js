// formsubmit.js: what the 情報連絡 and 情報提供 forms share: the submit bar
// and the submit sequence (validate, send once, show the server's answer at
// its field).
import { h } from './dom.js';
import { t } from './i18n.js';

// The submit button and its live status line; returns {el, btn, status}.
export function submitBar(label) {
	const status = h('span.submit-status', { role: 'status', 'aria-live': 'polite' });
	const btn = h('button.primary.big', { type: 'submit', id: 'submit' }, label);
	return { el: h('div.submit-bar', btn, status), btn, status };
}

// A form's submit handler.  The view's own errors (check(), shown first) and
// the editor's are shown instead of sending; otherwise send(form) runs once
// with the button disabled, and a server error is shown at its field as
// serverErrors(e, form) lays it out.
export function submitHandler(editor, bar, { check = () => [], confirm, send, serverErrors }) {
	return async ev => {
		ev.preventDefault();
		const errs = editor.validate();
		errs.unshift(...check());
		if (errs.length) {
			editor.showErrors(errs);
			return;
		}
		editor.clearErrors();
		const form = editor.value();
		// The review step (route, recipients, TLP) before anything is sent.
		if (confirm && !(await confirm(form)))
			return;
		bar.btn.disabled = true;
		bar.status.textContent = t('common.sending');
		try {
			await send(form);
		} catch (e) {
			bar.status.textContent = '';
			editor.showErrors(serverErrors(e, form));
		} finally {
			bar.btn.disabled = false;
		}
	};
}
