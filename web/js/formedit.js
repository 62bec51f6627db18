// formedit.js: an editable 様式 sheet (情報連絡様式 図４ / 情報提供様式 図７)
// built from spec.js, with client-side checks that mirror src/core/form.c
// and errors shown at the field they concern.
import { h, clear, fieldId } from './dom.js';
import { t, fmtDate, parseJst, nowJst } from './i18n.js';
import { labelKey, valueKey, MAX_TEXT, MAX_STRING, MAX_ROWS, TLPS, servicesOf, facilitiesOf } from './spec.js';

const chars = s => [...s].length;

// kind: 'rf' | 'af'; fields: REPORT_FORM | ADVISORY_FORM; initial: a form object
// opts: { tlpAudience: 'report'|'advisory', tlpMax, lockSector, serverValues: {path: text},
//         ministries: [org], onChange() }
export function buildEditor(kind, fields, initial, opts = {}) {
	const ctl = new Map();		// path -> {get, set, focus, row}
	const tables = new Map();	// path -> table state
	const changeFns = [];
	const fire = () => {
		for (const fn of changeFns)
			fn();
	};

	const sheet = h('div.sheet.sheet-edit', { dataset: { form: kind } });
	const summary = h('div.err-summary', { role: 'alert', 'aria-live': 'assertive', hidden: true, tabindex: '-1', id: `${kind}-errors` });

	const head = h('div.sheet-head');
	const title = h('h2.sheet-title', t(`${kind}._title`));
	sheet.append(title, h('p.sheet-mandatory', t(`${kind}._mandatory`)), head);

	const rowsEl = h('div.sheet-rows');
	sheet.append(rowsEl);

	for (const f of fields) {
		if (f.id === 'importance') {
			head.append(renderField(f, f.id, initial[f.id], 'head'));
			continue;
		}
		if (f.type === 'fixed') {
			head.append(h('div.sheet-direction', t(labelKey(kind, f.id))));
			continue;
		}
		rowsEl.append(renderField(f, f.id, initial[f.id]));
	}
	// A corrected field loses its error at once (not at the next submit).
	const settle = ev => {
		const row = ev.target.closest?.('.has-err');
		if (!row)
			return;
		row.classList.remove('has-err');
		for (const el of row.querySelectorAll('.field-err')) {
			el.hidden = true;
			clear(el);
		}
		for (const el of row.querySelectorAll('[aria-invalid]'))
			el.removeAttribute('aria-invalid');
		for (const a of summary.querySelectorAll('li a'))
			if (a.getAttribute('href') !== '#' && row.querySelector('#' + CSS.escape(a.getAttribute('href').slice(1))))
				a.closest('li').remove();
		if (!summary.querySelector('li'))
			summary.hidden = true;
	};
	sheet.addEventListener('input', settle);
	sheet.addEventListener('change', settle);
	// ⑥'s service follows the sector, its facility words the service.
	ctl.get('sector')?.row.querySelector('select')?.addEventListener('change', () => ctl.get('impact.service')?.row.refill?.());
	ctl.get('impact.service')?.row.querySelector('select')?.addEventListener('change', () => ctl.get('impact.facility')?.row.refill?.());

	function labelText(path, f) {
		const base = path.replace(/\.\d+\./g, '.');
		return (opts.labels?.[base] || t(labelKey(kind, base))) + (f.req ? ' *' : '');
	}

	function errEl(path) {
		return h('div.field-err', { id: fieldId('form.' + path) + '-err', hidden: true });
	}

	function markFilled(row, v) {
		const filled = !(v == null || v === '' || (Array.isArray(v) && v.length === 0));
		row.classList.toggle('filled', filled);
	}

	function renderField(f, path, value, place) {
		const id = fieldId('form.' + path);
		switch (f.type) {
		case 'group':
			return renderGroup(f, path, value || {});
		case 'table':
			return renderTable(f, path, value || []);
		case 'server':
			return renderServer(f, path, value);
		default:
			break;
		}
		const row = h(place === 'head' ? 'div.head-field' : 'div.row', { dataset: { path } });
		const lblId = id + '-lbl';
		let control, get, set, focus;
		if (f.type === 'enum' || f.type === 'tlp') {
			const name = id;
			const group = h(`div.choices${f.inline ? '.inline' : ''}${f.columns ? '.cols-' + f.columns : ''}${f.type === 'tlp' ? '.tlp-choices' : ''}`,
			    { role: 'radiogroup', 'aria-labelledby': lblId, 'aria-describedby': id + '-err', id, tabindex: '-1' });
			const inputs = [];
			for (const v of f.values) {
				const oid = `${id}-${v}`;
				const disabled = f.type === 'tlp' && opts.tlpMax && TLPS.indexOf(v) > TLPS.indexOf(opts.tlpMax);
				const input = h('input', { type: 'radio', name, id: oid, value: v, checked: value === v, disabled,
				    on: { change: () => { markFilled(row, get()); fire(); } } });
				inputs.push(input);
				if (f.type === 'tlp') {
					const aud = opts.tlpAudience || 'report';
					group.append(h(`label.tlp-choice.tlp-${v}`, { for: oid },
					    input,
					    h('span.tlp-choice-body',
						h(`span.tlp-code.tlp-${v}`, `TLP:${t(`tlp.${v}.code`)}`),
						h('span.tlp-choice-label', t(valueKey(kind, 'tlp', v))),
						h('span.tlp-form-scope', { title: t(`tlp.${v}.${aud}_text_scope`) }, t(`tlp.${v}.${aud}_form_scope`)))));
				} else {
					group.append(h('span.choice', input, h('label', { for: oid }, t(valueKey(kind, path, v)))));
				}
			}
			get = () => (inputs.find(i => i.checked) || {}).value || null;
			set = v => inputs.forEach(i => { i.checked = i.value === v; });
			focus = () => (inputs.find(i => i.checked && !i.disabled) || inputs.find(i => !i.disabled)).focus();
			const clearBtn = f.req ? null : h('button.link.clear-choice', { type: 'button', on: { click: () => { set(null); markFilled(row, null); fire(); } } },
			    t('form.clear_choice'));
			control = [group, clearBtn];
			row.append(h('span.lbl', { id: lblId }, labelText(path, f)));
		} else if (f.type === 'multi') {
			const group = h(`div.choices${f.columns ? '.cols-' + f.columns : ''}`, { role: 'group', 'aria-labelledby': lblId, 'aria-describedby': id + '-err', id, tabindex: '-1' });
			const inputs = [];
			const have = new Set(value || []);
			for (const v of f.values) {
				const oid = `${id}-${v}`;
				const input = h('input', { type: 'checkbox', id: oid, value: v, checked: have.has(v),
				    on: { change: () => { markFilled(row, get()); fire(); } } });
				inputs.push(input);
				group.append(h('span.choice', input, h('label', { for: oid }, t(valueKey(kind, path, v)))));
			}
			get = () => inputs.filter(i => i.checked).map(i => i.value);
			set = vs => { const s = new Set(vs || []); inputs.forEach(i => { i.checked = s.has(i.value); }); };
			focus = () => inputs[0].focus();
			control = group;
			row.append(h('span.lbl', { id: lblId }, labelText(path, f)));
		} else if (f.type === 'select' || f.type === 'ministry') {
			const sel = h('select', { id, 'aria-describedby': id + '-err', disabled: f.id === 'sector' && opts.lockSector && kind === 'rf',
			    on: { change: () => { markFilled(row, get()); fire(); } } });
			const fill = () => {
				const cur = sel.value;
				clear(sel);
				if (f.type === 'ministry') {
					sel.append(h('option', { value: '' }, t('adv.ministry_all')));
					const sector = ctlValue(path.replace(/ministry$/, 'sector'));
					for (const m of opts.ministries || [])
						if (!sector || m.sectors.includes(sector))
							sel.append(h('option', { value: String(m.id) }, m.name));
				} else {
					sel.append(h('option', { value: '' }, t('form.select_placeholder')));
					for (const v of f.values)
						sel.append(h('option', { value: v }, t(f.id === 'sector' ? `sector.${v}` : valueKey(kind, path, v))));
				}
				sel.value = cur;
			};
			fill();
			sel.value = value == null ? '' : String(value);
			if (f.type === 'ministry')
				row.refill = fill;
			get = () => (sel.value === '' ? null : (f.type === 'ministry' ? Number(sel.value) : sel.value));
			set = v => { sel.value = v == null ? '' : String(v); };
			focus = () => sel.focus();
			control = sel;
			row.append(h('label.lbl', { for: id, id: lblId }, labelText(path, f)));
		} else if (f.type === 'service') {
			// The CI services of the sector chosen above (refilled when it changes).
			const sel = h('select', { id, 'aria-describedby': id + '-err', on: { change: () => { markFilled(row, get()); fire(); } } });
			const fill = () => {
				const cur = sel.value;
				clear(sel);
				sel.append(h('option', { value: '' }, t('form.select_placeholder')));
				for (const [sid, name] of servicesOf(ctlValue('sector')))
					sel.append(h('option', { value: sid }, name));
				sel.value = [...sel.options].some(o => o.value === cur) ? cur : '';
			};
			fill();
			sel.value = value == null ? '' : String(value);
			if (sel.value !== (value == null ? '' : String(value)))	/* a service the list lacks */
				sel.append(h('option', { value: String(value), selected: true }, String(value)));
			row.refill = fill;
			get = () => (sel.value === '' ? null : sel.value);
			set = v => { sel.value = v == null ? '' : String(v); };
			focus = () => sel.focus();
			control = sel;
			row.append(h('label.lbl', { for: id, id: lblId }, labelText(path, f)));
		} else if (f.type === 'count') {
			// Text, not type=number: 「１２０，０００」 typed with a Japanese IME counts too.
			const input = h('input', { type: 'text', id, inputmode: 'numeric', autocomplete: 'off', class: 'num',
			    'aria-describedby': id + '-err', value: value == null ? '' : String(value),
			    on: { input: () => { markFilled(row, input.value); fire(); } } });
			get = () => {
				const s = input.value.normalize('NFKC').replace(/[,\s]/g, '');
				if (s === '')
					return null;
				return /^\d{1,10}$/.test(s) ? Number(s) : { invalid: input.value };
			};
			set = v => { input.value = v == null ? '' : String(v); };
			focus = () => input.focus();
			control = input;
			row.append(h('label.lbl', { for: id, id: lblId }, labelText(path, f)));
		} else if (f.type === 'bool') {
			const box = h('input', { type: 'checkbox', id, checked: value === true, 'aria-describedby': id + '-err',
			    on: { change: () => { markFilled(row, get()); fire(); } } });
			get = () => (box.checked ? true : null);
			set = v => { box.checked = v === true; };
			focus = () => box.focus();
			control = h('span.choice', box, h('label', { for: id }, t('common.yes')));
			row.append(h('span.lbl', { id: lblId }, labelText(path, f)));
		} else if (f.type === 'datetime') {
			const input = h('input', { type: 'text', id, inputmode: 'numeric', autocomplete: 'off',
			    placeholder: f.serverDefault ? t('form.datetime_server_default') : 'YYYY-MM-DD HH:MM',
			    'aria-describedby': `${id}-hint ${id}-err`, value: value ? fmtDate(value) : '', class: 'dt',
			    on: { input: () => { markFilled(row, input.value.trim()); fire(); } } });
			const now = h('button.small', { type: 'button', on: { click: () => { input.value = nowJst(); markFilled(row, input.value); fire(); } } }, t('form.now'));
			get = () => {
				const s = input.value.trim();
				return s === '' ? null : (parseJst(s) || { invalid: s });
			};
			set = v => { input.value = v ? fmtDate(v) : ''; };
			focus = () => input.focus();
			control = [input, now, h('span.hint', { id: `${id}-hint` }, t('form.datetime_hint'))];
			row.append(h('label.lbl', { for: id, id: lblId }, labelText(path, f)));
		} else {
			const isText = f.type === 'text';
			const input = isText
			    ? h('textarea', { id, rows: f.rows || 2, 'aria-describedby': id + '-err', value: value || '' })
			    : h('input', { type: 'text', id, 'aria-describedby': id + '-err', value: value || '', list: f.suggest ? id + '-list' : null });
			if (f.suggest === 'facility') {
				// The level's own words for the service chosen (放送: 基幹放送設備 …).
				const dl = h('datalist', { id: id + '-list' });
				row.refill = () => {
					clear(dl);
					for (const w of facilitiesOf(ctlValue(path.replace(/facility$/, 'service'))))
						dl.append(h('option', { value: w }));
				};
				row.refill();
				control = [input, dl];
			}
			// The limit shown while typing, not only after submitting.
			const max = isText ? MAX_TEXT : (f.max || MAX_STRING);
			const counter = h('span.char-count', { id: id + '-count', 'aria-live': 'off' });
			const count = () => {
				const n = chars(input.value);
				counter.textContent = t('form.char_count', { n, max });
				counter.classList.toggle('over', n > max);
				counter.hidden = n === 0 && !isText;
			};
			count();
			input.setAttribute('aria-describedby', `${id}-err ${id}-count`);
			input.addEventListener('input', () => { markFilled(row, input.value); count(); fire(); });
			get = () => (input.value === '' ? null : input.value);
			set = v => { input.value = v || ''; count(); };
			focus = () => input.focus();
			control = [].concat(control || input, counter);
			row.append(h('label.lbl', { for: id, id: lblId }, labelText(path, f)));
		}
		row.append(h('div.cell', control, errEl(path)));
		markFilled(row, get());
		ctl.set(path, { f, get, set, focus, row });
		return row;
	}

	function renderServer(f, path, value) {
		const wrap = h('div.row.server', { dataset: { path } });
		const sv = opts.serverValues || {};
		if (f.sub) {
			const inner = h('div.server-group');
			for (const s of f.sub) {
				const p = `${path}.${s.id}`;
				const v = sv[p];
				inner.append(h('div.server-item', h('span.server-lbl', t(labelKey(kind, p))), h('span.server-val', v || '—')));
			}
			wrap.append(h('span.lbl', labelText(path, f)), h('div.cell', inner, h('p.hint', t('form.server_sets_reporter')), errEl(path)));
		} else {
			wrap.append(h('span.lbl', labelText(path, f)),
			    h('div.cell', h('output', { id: fieldId('form.' + path) }, sv[path] || t('form.server_sets')), errEl(path)));
		}
		ctl.set(path, { f, get: () => undefined, set: () => {}, focus: () => wrap.querySelector('output, .server-val')?.focus?.(), row: wrap });
		return wrap;
	}

	function renderGroup(f, path, value) {
		const lblId = fieldId('form.' + path) + '-lbl';
		const sec = h('section.grp', { 'aria-labelledby': lblId, dataset: { path } },
		    h('div.grp-h', { id: lblId }, labelText(path, f)));
		if (f.fixed)
			sec.append(h('div.row.fixed', h('span.lbl', ''), h('div.cell', t(labelKey(kind, path) + '._fixed'))));
		for (const s of f.sub)
			sec.append(renderField(s, `${path}.${s.id}`, value[s.id]));
		sec.append(errEl(path));
		ctl.set(path, { f, group: true, get: () => groupValue(f, path), set: () => {}, focus: () => sec.querySelector('input, select, textarea')?.focus(), row: sec });
		return sec;
	}

	function groupValue(f, path) {
		const o = {};
		for (const s of f.sub) {
			const c = ctl.get(`${path}.${s.id}`);
			if (!c)
				continue;
			const v = c.get();
			if (v == null || (Array.isArray(v) && v.length === 0))
				continue;
			if (typeof v === 'object' && !Array.isArray(v) && v.invalid === undefined && Object.keys(v).length === 0)
				continue;
			o[s.id] = v;
		}
		return o;
	}

	function renderTable(f, path, rows) {
		const lblId = fieldId('form.' + path) + '-lbl';
		const state = { rows: rows.length ? rows.map(r => ({ ...r })) : (f.minRows ? [{}] : []) };
		const body = h('tbody');
		const table = h('table.grid-table', { 'aria-labelledby': lblId },
		    h('thead', h('tr', f.sub.map(s => h('th', { scope: 'col' }, t(labelKey(kind, `${path}.${s.id}`)) + (s.req ? ' *' : ''))), h('th', h('span.sr-only', t('form.row_actions'))))),
		    body);
		const add = h('button.small', { type: 'button', id: fieldId('form.' + path) + '-add', on: { click: () => {
			capture();
			if (state.rows.length >= MAX_ROWS)
				return;
			state.rows.push({});
			draw();
			fire();
			const last = body.lastElementChild;
			last?.querySelector('input, select, textarea')?.focus();
		} } }, t(path === 'timeline' ? 'form.add_timeline_row' : 'form.add_row'));
		const sec = h('section.grp.table-grp', { 'aria-labelledby': lblId, dataset: { path } },
		    h('div.grp-h', { id: lblId }, labelText(path, f)), table, h('div.table-actions', add), errEl(path));
		function capture() {
			state.rows = state.rows.map((r, i) => {
				const o = {};
				for (const s of f.sub) {
					const c = ctl.get(`${path}.${i}.${s.id}`);
					const v = c ? c.get() : r[s.id];
					if (v != null && v !== '')
						o[s.id] = v;
				}
				return o;
			});
		}
		function draw() {
			for (const key of [...ctl.keys()])
				if (key.startsWith(path + '.') && /^\d/.test(key.slice(path.length + 1)))
					ctl.delete(key);
			clear(body);
			state.rows.forEach((r, i) => {
				const tr = h('tr', { dataset: { row: String(i) } });
				for (const s of f.sub) {
					const p = `${path}.${i}.${s.id}`;
					const cellRow = renderField(s, p, r[s.id]);
					// In a table the label is the column header: keep it for screen readers only.
					cellRow.querySelector('.lbl')?.classList.add('sr-only');
					tr.append(h('td', cellRow));
					if (s.id === 'sector') {
						cellRow.querySelector('select').addEventListener('change', () => ctl.get(`${path}.${i}.ministry`)?.row.refill?.());
					}
				}
				const canRemove = state.rows.length > (f.minRows || 0);
				tr.append(h('td.row-actions', canRemove ? h('button.small.danger', { type: 'button', 'aria-label': t('form.remove_row_n', { n: i + 1 }),
				    on: { click: () => { capture(); state.rows.splice(i, 1); draw(); fire(); add.focus(); } } }, t('form.remove_row')) : null));
				body.append(tr);
			});
			add.disabled = state.rows.length >= MAX_ROWS;
		}
		draw();
		ctl.set(path, { f, table: true, get: () => { capture(); return state.rows.filter(r => Object.keys(r).length); },
		    set: v => { state.rows = (v || []).map(r => ({ ...r })); draw(); }, focus: () => (body.querySelector('input, select, textarea') || add).focus(), row: sec });
		tables.set(path, state);
		return sec;
	}

	function ctlValue(path) {
		const c = ctl.get(path);
		return c ? c.get() : null;
	}

	// The form object for the API: only what is filled in.
	function value() {
		const out = {};
		for (const f of fields) {
			if (f.type === 'fixed' || f.type === 'server')
				continue;
			const c = ctl.get(f.id);
			if (!c)
				continue;
			const v = c.get();
			if (v == null || (Array.isArray(v) && v.length === 0 && !f.req))
				continue;
			if (!Array.isArray(v) && typeof v === 'object' && v.invalid === undefined && Object.keys(v).length === 0)
				continue;
			out[f.id] = v;
		}
		return out;
	}

	// Client-side checks: the same rules the server applies (src/core/form.c).
	function validate() {
		const errs = [];
		const walk = (list, prefix) => {
			for (const f of list) {
				const path = prefix ? `${prefix}.${f.id}` : f.id;
				if (f.type === 'fixed' || f.type === 'server')
					continue;
				if (f.type === 'group') {
					walk(f.sub, path);
					continue;
				}
				const c = ctl.get(path);
				if (!c)
					continue;
				const v = c.get();
				if (f.type === 'table') {
					if (f.req && v.length === 0)
						errs.push([`form.${path}`, t('err.rows_required')]);
					if (path === 'recipients') {
						// One row per addressee (the server refuses a repeat: form.recipients.N).
						const seen = new Map();
						tables.get(path).rows.forEach((r, i) => {
							const key = `${r.ministry ?? ''}|${r.sector ?? ''}`;
							if (!r.sector && r.ministry == null)
								return;
							if (seen.has(key))
								errs.push([`form.${path}.${i}`, t('err.duplicate_recipient', { n: seen.get(key) + 1 })]);
							else
								seen.set(key, i);
						});
					}
					if (v.length > MAX_ROWS)
						errs.push([`form.${path}`, t('err.too_many_rows', { n: MAX_ROWS })]);
					const n = tables.get(path).rows.length;
					for (let i = 0; i < n; i++)
						walk(f.sub, `${path}.${i}`);
					continue;
				}
				if (v == null || (Array.isArray(v) && v.length === 0)) {
					if (f.req && !(f.serverDefault))
						errs.push([`form.${path}`, t('err.required')]);
					continue;
				}
				if (f.type === 'datetime' && typeof v === 'object')
					errs.push([`form.${path}`, t('err.datetime')]);
				if (f.type === 'count' && typeof v === 'object')
					errs.push([`form.${path}`, t('err.count')]);
				if (typeof v === 'string' && f.type === 'text' && chars(v) > MAX_TEXT)
					errs.push([`form.${path}`, t('err.too_long', { n: MAX_TEXT })]);
				if (typeof v === 'string' && f.type === 'string' && chars(v) > (f.max || MAX_STRING))
					errs.push([`form.${path}`, t('err.too_long', { n: f.max || MAX_STRING })]);
				if (f.type === 'tlp' && opts.tlpMax && TLPS.indexOf(v) > TLPS.indexOf(opts.tlpMax))
					errs.push([`form.${path}`, t('err.tlp_widen')]);
			}
		};
		walk(fields, '');
		return errs;
	}

	function clearErrors() {
		summary.hidden = true;
		clear(summary);
		for (const el of sheet.querySelectorAll('.field-err'))
			if (!el.closest('.err-summary')) {
				el.hidden = true;
				clear(el);
			}
		for (const el of sheet.querySelectorAll('[aria-invalid]'))
			el.removeAttribute('aria-invalid');
		for (const el of sheet.querySelectorAll('.has-err'))
			el.classList.remove('has-err');
	}

	// errs: [[apiField, message, extra?]]; fields outside the form are looked up in the document.
	function showErrors(errs, root = document) {
		clearErrors();
		if (!errs.length)
			return;
		clear(summary);
		summary.append(h('p.err-title', t('err.summary', { n: errs.length })));
		const ul = h('ul');
		for (const [field, msg, extra] of errs) {
			const el = locate(field, root);
			if (el) {
				el.err.hidden = false;
				el.err.append(h('span', msg));
				if (extra)
					el.err.append(extra);
				el.row?.classList.add('has-err');
				el.control?.setAttribute('aria-invalid', 'true');
			}
			const label = fieldLabel(field);
			ul.append(h('li', h('a', { href: '#' + (el?.control?.id || ''), on: { click: ev => { ev.preventDefault(); el?.focus(); } } },
			    label ? `${label}: ${msg}` : msg)));
		}
		summary.append(ul);
		summary.hidden = false;
		const first = locate(errs[0][0], root);
		if (first)
			first.focus();
		else
			summary.focus();
	}

	function locate(field, root) {
		let path = field;
		while (path) {
			const err = root.querySelector('#' + CSS.escape(fieldId(path) + '-err'));
			if (err) {
				const control = root.querySelector('#' + CSS.escape(fieldId(path)));
				const c = path.startsWith('form.') ? ctl.get(path.slice(5)) : null;
				return { err, control, row: c?.row || err.closest('.row, .grp, .meta-row'), focus: () => (c ? c.focus() : control?.focus()) };
			}
			path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
		}
		return null;
	}

	function fieldLabel(field) {
		if (!field.startsWith('form.'))
			return '';
		const base = field.slice(5).replace(/\.\d+(\.|$)/g, '$1');
		const key = labelKey(kind, base);
		return t(key);
	}

	return {
		el: h('div.editor', summary, sheet),
		value,
		validate,
		showErrors,
		clearErrors,
		onChange: fn => changeFns.push(fn),
		set: (path, v) => ctl.get(path)?.set(v),
		get: ctlValue,
	};
}
