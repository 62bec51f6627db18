// views/interop.js: 連携 (STIX/TAXII) — where a TAXII 2.1 client connects
// (/taxii2/, the API root, the collections this user may read, straight
// from the TAXII server), and, for the organisations that contribute
// (cybersecurity agencies, cyberspace businesses, NISC analysts), a STIX
// 2.1 bundle import (POST /api/v1/stix/import, the import of the TAXII
// contributions collection).  A refused bundle names the object and
// property (objects.3.pattern).
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { pageHeader } from '../ui.js';

const TAXII = 'application/taxii+json;version=2.1';

async function collections() {
	const resp = await fetch('/taxii2/cishare/collections/', {
		headers: { Accept: TAXII }, credentials: 'same-origin', cache: 'no-store',
	});
	if (!resp.ok)
		throw new Error(`HTTP ${resp.status}`);
	return (await resp.json()).collections || [];
}

export async function interopView() {
	const root = `${location.origin}/taxii2/`;
	const list = h('div', { id: 'taxii-collections', 'aria-live': 'polite' });
	const imp = h('div', { id: 'stix-import-box' });
	const el = h('div.interop-page',
	    pageHeader(t('interop.title')),
	    h('p.hint', t('interop.lead')),
	    h('dl.kv',
		h('dt', t('interop.taxii_url')), h('dd', h('code', { id: 'taxii-url' }, root)),
		h('dt', t('interop.api_root')), h('dd', h('code', `${location.origin}/taxii2/cishare/`)),
		h('dt', t('interop.auth')), h('dd', t('interop.auth_text'))),
	    h('h2', t('interop.collections')), list, imp);
	const after = async () => {
		let colls;
		try {
			colls = await collections();
		} catch (e) {
			list.append(h('p.field-err', { role: 'alert' }, String(e.message)));
			return;
		}
		list.append(h('table.list', { id: 'taxii-table' },
		    h('thead', h('tr', h('th', { scope: 'col' }, 'ID'), h('th', { scope: 'col' }, t('interop.coll_title')),
			h('th', { scope: 'col' }, t('interop.can_write')))),
		    h('tbody', colls.map(c => h('tr', { dataset: { coll: c.id } }, h('td', h('code', c.id)),
			h('td', t(`interop.coll.${c.id}`)), h('td', c.can_write ? t('interop.yes') : '—'))))));
		if (colls.some(c => c.can_write))
			imp.append(importForm());
	};
	return { el, title: t('interop.title'), name: 'interop', after };
}

function importForm() {
	const file = h('input', { type: 'file', id: 'stix-file', accept: '.json,application/json' });
	const out = h('div', { id: 'stix-status', 'aria-live': 'polite' });
	const err = h('p.field-err', { id: 'stix-err', role: 'alert', hidden: true });
	const submit = async ev => {
		ev.preventDefault();
		clear(out);
		err.hidden = true;
		const f = file.files && file.files[0];
		if (!f) {
			err.textContent = t('interop.choose_file');
			err.hidden = false;
			return;
		}
		let body;
		try {
			body = JSON.parse(await f.text());
		} catch {
			err.textContent = t('interop.not_json');
			err.hidden = false;
			return;
		}
		try {
			const s = await api('POST', '/stix/import', body);
			out.append(h('p', { id: 'stix-done' }, t('interop.done', { n: s.success_count, total: s.total_count })),
			    h('p.hint', h('code', s.id)));
		} catch (e) {
			err.textContent = e.field ? `${e.field}: ${e.serverMessage || e.message}` : (e.serverMessage || e.message);
			err.hidden = false;
		}
	};
	return h('form', { id: 'stix-import', on: { submit } },
	    h('h2', t('interop.import')), h('p.hint', t('interop.import_lead')),
	    h('div.form-line', h('label', { for: 'stix-file' }, t('interop.file')), file),
	    h('div.form-actions', h('button.primary', { type: 'submit', id: 'stix-import-go' }, t('interop.import_go'))),
	    err, out);
}
