// dialog.js: a modal <dialog> (focus trapped by the browser, Esc closes) for
// confirmations and organisation pickers.
import { h } from './dom.js';
import { t } from './i18n.js';
import { errorText, serverDetail } from './errors.js';

// onConfirm() may throw an ApiError: it is shown in the dialog (and, when the
// error names a field such as "to.1", next to that control via fieldError).
export function openDialog({ id, title, body, confirmLabel, onConfirm, fieldError }) {
	const err = h('div.field-err', { role: 'alert', hidden: true, id: `${id}-err` });
	const ok = h('button.primary', { type: 'submit', id: `${id}-confirm` }, confirmLabel);
	const cancel = h('button', { type: 'button', id: `${id}-cancel` }, t('common.cancel'));
	const dlg = h('dialog.dialog', { id, 'aria-labelledby': `${id}-title` });
	const form = h('form', { method: 'dialog', on: { submit: async ev => {
		ev.preventDefault();
		err.hidden = true;
		ok.disabled = true;
		try {
			await onConfirm();
			dlg.close();
		} catch (e) {
			if (e && e.status !== undefined) {
				err.replaceChildren(h('span', errorText(e)), serverDetail(e) || '');
				fieldError?.(e);
			} else {
				err.textContent = String(e && e.message ? e.message : e);
			}
			err.hidden = false;
		} finally {
			ok.disabled = false;
		}
	} } },
	h('h2', { id: `${id}-title` }, title), h('div.dialog-body', body), err, h('div.dialog-actions', cancel, ok));
	cancel.addEventListener('click', () => dlg.close());
	dlg.append(form);
	dlg.addEventListener('close', () => dlg.remove());
	document.body.append(dlg);
	dlg.showModal();
	return dlg;
}

// Checkboxes for organisations; returns {el, value()}.
export function orgPicker(id, candidates, note) {
	const list = h('div.org-picks', { id, role: 'group', 'aria-label': t('picker.label') },
	    candidates.length ? candidates.map((o, i) => h('span.choice', { dataset: { org: String(o.id) } },
		h('input', { type: 'checkbox', id: `${id}-${o.id}`, value: String(o.id) }),
		h('label', { for: `${id}-${o.id}` }, o.name, h('span.muted', ` （${t(`orgtype.${o.type}`)}）`)),
		h('span.field-err', { id: `${id}-${o.id}-err`, hidden: true }))) : h('p.muted', t('picker.none')));
	return {
		el: h('div', note ? h('p.hint', note) : null, list),
		value: () => [...list.querySelectorAll('input:checked')].map(i => Number(i.value)),
		markError: (index, msg) => {
			const ids = [...list.querySelectorAll('input:checked')].map(i => i.value);
			const orgId = ids[index];
			const el = list.querySelector(`#${id}-${orgId}-err`);
			if (el) {
				el.textContent = msg;
				el.hidden = false;
			}
		},
	};
}

// An orgPicker in a dialog (share, relay): send(to) posts the chosen
// organisations; a server error naming "to.N" marks the N-th chosen one.
export function orgPickerDialog({ id, pickerId, candidates, note, title, confirmLabel, send }) {
	const picker = orgPicker(pickerId, candidates, note);
	return openDialog({
		id, title, body: picker.el, confirmLabel,
		onConfirm: async () => {
			const to = picker.value();
			if (!to.length)
				throw new Error(t('picker.choose_one'));
			await send(to);
		},
		fieldError: e => {
			const m = /^to\.(\d+)$/.exec(e.field);
			if (m)
				picker.markError(Number(m[1]), errorText(e));
		},
	});
}
