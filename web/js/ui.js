// ui.js: small shared pieces — TLP banner and chips, 重要度 badges, state
// chips, toasts (aria-live), the 様式 read-only sheet used by detail and
// print views, and a version diff.
import { h, clear } from './dom.js';
import { t, fmtDate, dateParts } from './i18n.js';
import { labelKey, valueKey, leaves, serviceName } from './spec.js';

export function tlpBanner(tlp, audience) {
	if (!tlp)
		return null;
	return h(`div.tlp-banner.tlp-${tlp}`, { role: 'note', 'aria-label': t('tlp.banner_label') },
	    h('strong.tlp-banner-code', `TLP:${t(`tlp.${tlp}.code`)}`),
	    h('span.tlp-banner-label', t(`tlp.${tlp}.label`)),
	    h('span.tlp-banner-scope', t(`tlp.${tlp}.${audience}_form_scope`)));
}

export function tlpChip(tlp) {
	if (!tlp)
		return null;
	return h(`span.tlp-code.tlp-${tlp}`, { title: t(`tlp.${tlp}.label`) }, `TLP:${t(`tlp.${tlp}.code`)}`);
}

export function impBadge(imp) {
	if (!imp)
		return null;
	return h(`span.imp.imp-${imp}`, { title: t(`imp.${imp}.def`) }, t(`rfv.importance.${imp}`));
}

export function stateChip(state) {
	if (!state)
		return null;
	return h(`span.state.state-${state}`, t(`state.${state}`));
}

let toastRegion = null;
export function setToastRegion(el) {
	toastRegion = el;
}

export function toast(msg, kind = 'ok') {
	if (!toastRegion)
		return;
	const el = h(`div.toast.toast-${kind}`, msg);
	toastRegion.append(el);
	setTimeout(() => el.remove(), 8000);
}

export function orgName(orgs, id) {
	if (id == null)
		return '—';
	const o = orgs.get(Number(id));
	return o ? o.name : t('org.unknown', { id });
}

export function pageHeader(title, ...extra) {
	return h('div.page-head', h('h1', { id: 'page-title', tabindex: '-1' }, title), h('div.page-actions', extra));
}

export function loading() {
	return h('p.loading', { role: 'status' }, t('common.loading'));
}

export function errorBox(msg, detail) {
	return h('div.error-box', { role: 'alert' }, h('p', msg), detail || null);
}

// ---- the 様式 as a read-only sheet (detail and print views) -----------------

function checkbox(on) {
	return h(`span.box${on ? '.on' : ''}`, { 'aria-hidden': 'true' }, on ? '■' : '□');
}

// Options as the paper form prints them: □警報 ■注意喚起 □参考情報
function optionLine(kind, path, values, chosen) {
	const set = new Set(Array.isArray(chosen) ? chosen : [chosen]);
	return h('span.opts', values.map(v => h(`span.opt${set.has(v) ? '.chosen' : ''}`, checkbox(set.has(v)),
	    h('span', { 'aria-label': set.has(v) ? t('sheet.chosen', { v: t(valueKey(kind, path, v)) }) : null },
	    t(valueKey(kind, path, v))))));
}

function dtCell(iso) {
	const p = dateParts(iso);
	if (!p)
		return h('span.dt-parts', t('sheet.dt_blank'));
	return h('span.dt-parts', t('sheet.dt_parts', { y: p.y, mo: p.mo, d: p.d, h: p.h, mi: p.mi }));
}

// kind: 'rf'|'af'; fields: REPORT_FORM|ADVISORY_FORM; form: the version's form
export function sheetView(kind, fields, form, opts = {}) {
	const orgs = opts.orgs || new Map();
	const aud = kind === 'rf' ? 'report' : 'advisory';
	const sheet = h('div.sheet.sheet-view', { dataset: { form: kind } });
	const head = h('div.sheet-head');
	sheet.append(h('h2.sheet-title', t(`${kind}._title`)), h('p.sheet-mandatory', t(`${kind}._mandatory`)), head);
	const rows = h('div.sheet-rows');
	sheet.append(rows);
	const value = (f, path, v) => {
		switch (f.type) {
		case 'enum':
			return optionLine(kind, path, f.values, v);
		case 'multi':
			return optionLine(kind, path, f.values, v || []);
		case 'tlp':
			return h('div.tlp-lines', f.values.map(x => h(`div.opt${x === v ? '.chosen' : ''}`, checkbox(x === v),
			    h('span', `${t(valueKey(kind, 'tlp', x))}（${t(`tlp.${x}.${aud}_form_scope`)}）`))));
		case 'select':
			return v ? t(f.id === 'sector' ? `sector.${v}` : valueKey(kind, path, v)) : '';
		case 'ministry':
			return v == null ? t('adv.ministry_all') : orgName(orgs, v);
		case 'datetime':
			return dtCell(v);
		case 'service':
			return serviceName(v);
		case 'bool':
			return v === true ? t('common.yes') : '';
		case 'count':
			return v == null ? '' : Number(v).toLocaleString('ja-JP');
		case 'server':
			if (f.id === 'report_sequence_number' || f.id === 'advisory_sequence_number')
				return t('sheet.nth', { n: v || '　' });
			return v || '';
		default:
			return v == null ? '' : String(v);
		}
	};
	const row = (f, path, v) => {
		if (f.type === 'group' || (f.type === 'server' && f.sub)) {
			const sec = h('section.grp', h('div.grp-h', t(labelKey(kind, path))));
			if (f.fixed)
				sec.append(h('div.row', h('span.lbl', ''), h('div.cell', t(labelKey(kind, path) + '._fixed'))));
			for (const s of f.sub)
				sec.append(row(s, `${path}.${s.id}`, (v || {})[s.id]));
			return sec;
		}
		if (f.type === 'table') {
			const list = v || [];
			return h('section.grp', h('div.grp-h', t(labelKey(kind, path))),
			    h('table.grid-table',
				h('thead', h('tr', f.sub.map(s => h('th', { scope: 'col' }, t(labelKey(kind, `${path}.${s.id}`)))))),
				h('tbody', list.length ? list.map(r => h('tr', f.sub.map(s => h('td', value(s, `${path}.${s.id}`, r[s.id])))))
				    : h('tr', h('td.empty', { colspan: String(f.sub.length) }, t('sheet.no_rows'))))));
		}
		return h('div.row', { dataset: { path } }, h('span.lbl', t(labelKey(kind, path))), h('div.cell', value(f, path, v)));
	};
	for (const f of fields) {
		const v = form ? form[f.id] : undefined;
		if (f.id === 'importance') {
			head.append(h('div.head-field', h('span.lbl', t(labelKey(kind, 'importance'))), value(f, 'importance', v)));
			continue;
		}
		if (f.type === 'fixed') {
			head.append(h('div.sheet-direction', t(labelKey(kind, f.id))));
			continue;
		}
		rows.append(row(f, f.id, v));
	}
	return sheet;
}

// ---- diff between two versions of a form ------------------------------------

function show(kind, f, path, v, orgs) {
	if (v == null || (Array.isArray(v) && v.length === 0))
		return '';
	switch (f.type) {
	case 'enum':
	case 'tlp':
		return t(valueKey(kind, path, v));
	case 'select':
		return t(f.id === 'sector' ? `sector.${v}` : valueKey(kind, path, v));
	case 'multi':
		return v.map(x => t(valueKey(kind, path, x))).join('、');
	case 'datetime':
		return typeof v === 'string' ? fmtDate(v) : (v.invalid || '');
	case 'service':
		return serviceName(v);
	case 'bool':
		return v === true ? t('common.yes') : '';
	case 'count':
		return typeof v === 'number' ? v.toLocaleString('ja-JP') : (v.invalid || '');
	case 'table':
		return v.map((r, i) => `${i + 1}. ` + f.sub.map(s => (s.type === 'ministry' ? (r[s.id] == null ? t('adv.ministry_all') : orgName(orgs || new Map(), r[s.id])) : show(kind, s, `${path}.${s.id}`, r[s.id]))).filter(Boolean).join(' / ')).join('\n');
	default:
		return String(v);
	}
}

// [{path, label, before, after}] for the fields that differ.
export function diffForms(kind, fields, a, b, orgs) {
	const skip = new Set(['report_sequence_number', 'identification_number', 'reported_at', 'provided_at',
		'advisory_sequence_number']);
	const la = new Map(leaves(fields, a || {}).map(([p, f, v]) => [p, [f, v]]));
	const out = [];
	for (const [p, f, vb] of leaves(fields, b || {})) {
		if (skip.has(p) || p.startsWith('reporter.') || f.type === 'server')
			continue;
		const va = la.get(p)?.[1];
		if (f.type === 'table') {
			// Row by row: an appended row is one change, not every row again.
			const ra = va || [], rb = vb || [];
			for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
				const sa = ra[i] ? show(kind, f, p, [ra[i]], orgs).replace(/^1\. /, '') : '';
				const sb = rb[i] ? show(kind, f, p, [rb[i]], orgs).replace(/^1\. /, '') : '';
				if (sa !== sb)
					out.push({ path: `${p}.${i}`, label: t('diff.row', { label: t(labelKey(kind, p)), n: i + 1 }), before: sa, after: sb });
			}
			continue;
		}
		const sa = show(kind, f, p, va, orgs), sb = show(kind, f, p, vb, orgs);
		if (sa !== sb)
			out.push({ path: p, label: t(labelKey(kind, p)), before: sa, after: sb });
	}
	return out;
}

export function diffView(changes, emptyText) {
	if (!changes.length)
		return h('p.diff-empty', emptyText || t('diff.none'));
	return h('table.diff',
	    h('caption.sr-only', t('diff.caption')),
	    h('thead', h('tr', h('th', { scope: 'col' }, t('diff.field')), h('th', { scope: 'col' }, t('diff.before')), h('th', { scope: 'col' }, t('diff.after')))),
	    h('tbody', changes.map(c => h('tr', { dataset: { path: c.path } }, h('th', { scope: 'row' }, c.label),
		h('td.before', c.before ? h('del', c.before) : h('span.blank', t('diff.blank'))),
		h('td.after', c.after ? h('ins', c.after) : h('span.blank', t('diff.blank')))))));
}

export function replaceContent(el, ...children) {
	clear(el);
	el.append(...children.flat().filter(Boolean));
}

// ---- passwords: shown on request (ASVS 2.1.12) ----
// A password input with a button that shows the whole password as text until
// pressed again; hidden again before the form is sent, so password managers
// still see a password field.
export function passwordField(input) {
	const btn = h('button.pw-toggle', { type: 'button', id: `${input.id}-show`, 'aria-controls': input.id,
	    'aria-pressed': 'false' }, t('password.show'));
	const set = shown => {
		input.type = shown ? 'text' : 'password';
		btn.setAttribute('aria-pressed', String(shown));
		btn.textContent = t(shown ? 'password.hide' : 'password.show');
	};
	btn.addEventListener('click', () => set(input.type === 'password'));
	input.addEventListener('blur', ev => {
		if (ev.relatedTarget !== btn)
			set(false);
	});
	return h('span.pw-field', input, btn);
}

// ---- drafts: a form survives a session expiry or a reload in the same tab ----
// sessionStorage only (per tab, gone when the tab closes, cleared on logout):
// TLP:RED text is not left behind in the browser profile.
// A saved draft is never restored silently: pending() offers it (with its
// age) and load() returns it only once the user chose to restore it.
export function draftStore(key) {
	const k = `cishare.draft.${key}`;
	const ok = `${k}.restore`;
	let timer = null;
	const read = () => {
		try {
			const d = JSON.parse(sessionStorage.getItem(k) || 'null');
			return d && typeof d === 'object' && 'value' in d && 'at' in d ? d : (d ? { value: d, at: null } : null);
		} catch {
			return null;
		}
	};
	return {
		// One restore per choice: the next visit asks again.
		load() {
			if (!sessionStorage.getItem(ok))
				return null;
			sessionStorage.removeItem(ok);
			return read()?.value || null;
		},
		pending() {
			return sessionStorage.getItem(ok) ? null : read();
		},
		accept() {
			sessionStorage.setItem(ok, '1');
		},
		save(value) {
			clearTimeout(timer);
			timer = setTimeout(() => sessionStorage.setItem(k, JSON.stringify({ value, at: new Date().toISOString() })), 300);
		},
		clear() {
			clearTimeout(timer);
			sessionStorage.removeItem(k);
			sessionStorage.removeItem(ok);
		},
	};
}

// How long ago an ISO time was, in words ("3分前").
export function ageText(iso) {
	if (!iso)
		return t('draft.age_unknown');
	const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
	if (s < 60)
		return t('draft.age_now');
	if (s < 3600)
		return t('draft.age_min', { n: Math.floor(s / 60) });
	if (s < 86400)
		return t('draft.age_hour', { n: Math.floor(s / 3600) });
	return t('draft.age_day', { n: Math.floor(s / 86400) });
}

// The question about an unsent draft: restore it (reload with it) or discard it.
export function draftPrompt(draft, reload) {
	const p = draft.pending();
	if (!p)
		return null;
	const el = h('div.draft-prompt', { role: 'alertdialog', id: 'draft-prompt', 'aria-labelledby': 'draft-prompt-text' },
	    h('p', { id: 'draft-prompt-text' }, t('draft.found', { age: ageText(p.at), when: p.at ? fmtDate(p.at) : '—' })),
	    h('button.primary.small', { type: 'button', id: 'draft-restore', on: { click: () => { draft.accept(); reload(); } } }, t('draft.restore')), ' ',
	    h('button.small', { type: 'button', id: 'draft-discard', on: { click: () => { draft.clear(); el.remove(); } } }, t('draft.discard')));
	return el;
}

export function draftNotice(onDiscard) {
	const el = h('div.draft-notice', { role: 'status' }, h('span', t('draft.restored')), ' ',
	    h('button.small', { type: 'button', id: 'draft-discard', on: { click: () => { onDiscard(); } } }, t('draft.discard')));
	return el;
}
