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

// A confirmation step: resolves true when confirmed, false when cancelled.
export function confirmDialog({ id, title, body, confirmLabel }) {
	return new Promise(resolve => {
		let done = false;
		const dlg = openDialog({ id, title, body, confirmLabel, onConfirm: async () => { done = true; resolve(true); } });
		dlg.addEventListener('close', () => { if (!done) resolve(false); });
	});
}

// A labelled list of facts for a confirmation: [[label, value]].
export function factList(rows) {
	return h('dl.confirm-facts', rows.filter(Boolean).map(([k, v]) => h('div', h('dt', k), h('dd', v))));
}

// Checkboxes for organisations, grouped by type and sector, with a search
// box and select-all (per group and for all shown: hundreds of member
// operators); returns {el, value()}.
export function orgPicker(id, candidates, note) {
	const groupKey = o => `${o.type}|${(o.sectors || [])[0] || ''}`;
	const groups = new Map();
	for (const o of [...candidates].sort((a, b) => groupKey(a).localeCompare(groupKey(b)) || a.name.localeCompare(b.name, 'ja')))
		(groups.get(groupKey(o)) || groups.set(groupKey(o), []).get(groupKey(o))).push(o);
	const boxes = [];
	const setAll = (inputs, on) => inputs.filter(i => !i.closest('.choice').hidden).forEach(i => { i.checked = on; });
	const fieldsets = [...groups].map(([key, os], gi) => {
		const [type, sector] = key.split('|');
		const inputs = [];
		const items = os.map(o => {
			const input = h('input', { type: 'checkbox', id: `${id}-${o.id}`, value: String(o.id) });
			inputs.push(input);
			boxes.push(input);
			return h('span.choice', { dataset: { org: String(o.id), name: o.name.normalize('NFKC').toLowerCase() } }, input,
			    h('label', { for: `${id}-${o.id}` }, o.name),
			    h('span.field-err', { id: `${id}-${o.id}-err`, hidden: true }));
		});
		const all = h('input', { type: 'checkbox', id: `${id}-grp-${gi}`, class: 'grp-all',
		    on: { change: ev => setAll(inputs, ev.target.checked) } });
		return h('fieldset.org-group', { dataset: { type, sector } },
		    h('legend', h('span.choice', all, h('label', { for: `${id}-grp-${gi}` },
			`${t(`orgtype.${type}`)}${sector ? ' — ' + t(`sector.${sector}`) : ''} （${os.length}）`))),
		    h('div.org-picks', items));
	});
	const search = h('input', { type: 'search', id: `${id}-search`, placeholder: t('picker.search'), 'aria-label': t('picker.search'),
	    on: { input: () => {
		const q = search.value.normalize('NFKC').toLowerCase().trim();
		for (const fs of fieldsets) {
			let shown = 0;
			for (const c of fs.querySelectorAll('.org-picks .choice')) {
				c.hidden = q !== '' && !c.dataset.name.includes(q);
				shown += !c.hidden;
			}
			fs.hidden = shown === 0;
		}
	} } });
	const selectAll = h('button.small', { type: 'button', id: `${id}-all`, on: { click: () => setAll(boxes, true) } }, t('picker.select_all'));
	const selectNone = h('button.small', { type: 'button', id: `${id}-none`, on: { click: () => { setAll(boxes, false); } } }, t('picker.select_none'));
	const count = h('span.muted', { id: `${id}-count`, 'aria-live': 'polite' });
	const list = h('div.org-picker', { id, role: 'group', 'aria-label': t('picker.label'),
	    on: { change: () => { count.textContent = t('picker.count', { n: boxes.filter(b => b.checked).length, total: boxes.length }); } } },
	    candidates.length ? fieldsets : h('p.muted', t('picker.none')));
	count.textContent = t('picker.count', { n: 0, total: boxes.length });
	return {
		el: h('div', note ? h('p.hint', note) : null,
		    candidates.length ? h('div.picker-tools', search, ' ', selectAll, ' ', selectNone, ' ', count) : null, list),
		value: () => boxes.filter(i => i.checked).map(i => Number(i.value)),
		markError: (index, msg) => {
			const ids = boxes.filter(i => i.checked).map(i => i.value);
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
export function orgPickerDialog({ id, pickerId, candidates, note, title, confirmLabel, send, comment }) {
	const picker = orgPicker(pickerId, candidates, note);
	const cm = comment ? h('textarea', { id: `${id}-comment`, rows: 2, maxlength: 8000 }) : null;
	return openDialog({
		id, title, confirmLabel,
		body: h('div', picker.el, cm ? h('div.dialog-comment', h('label', { for: `${id}-comment` }, t('picker.comment')), cm) : null),
		onConfirm: async () => {
			const to = picker.value();
			if (!to.length)
				throw new Error(t('picker.choose_one'));
			await send(to, cm ? cm.value.trim() : undefined);
		},
		fieldError: e => {
			const m = /^to\.(\d+)$/.exec(e.field);
			if (m)
				picker.markError(Number(m[1]), errorText(e));
		},
	});
}
