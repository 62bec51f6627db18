// views/print.js: each report and advisory as the paper 様式 (print CSS:
// A4, black on white, the TLP marking at the top and the bottom of the page),
// so a liaison can still fax it.
import { h } from '../dom.js';
import { get } from '../api.js';
import { t, fmtDateJst } from '../i18n.js';
import { REPORT_FORM, ADVISORY_FORM } from '../spec.js';
import { sheetView } from '../ui.js';

function tlpMark(tlp) {
	return h(`div.tlp-mark.tlp-${tlp}`, `TLP:${t(`tlp.${tlp}.code`)}`);
}

function toolbar(back) {
	return h('div.print-toolbar', { role: 'toolbar', 'aria-label': t('print.toolbar') },
	    h('h1', { id: 'page-title', tabindex: '-1' }, t('print.title')),
	    h('button.primary', { type: 'button', id: 'do-print', on: { click: () => window.print() } }, t('print.print')),
	    h('a.button', { href: back }, t('common.back_to_detail')),
	    h('p.hint', t('print.hint')));
}

export async function reportPrintView(ctx) {
	const id = ctx.params[0];
	const rep = await get(`/reports/${id}`);
	const want = Number(ctx.query.get('v')) || null;
	const v = rep.versions.find(x => x.version === want) || rep.versions[rep.versions.length - 1];
	const tlp = v?.form?.tlp || rep.tlp;
	const paper = h('article.paper', { 'aria-label': t('rf._title') },
	    tlpMark(tlp),
	    v ? sheetView('rf', REPORT_FORM, v.form, { orgs: ctx.orgs }) : h('p', t('report.no_visible_version')),
	    h('footer.paper-foot', h('span', t('print.printed_at', { at: fmtDateJst(new Date().toISOString()) })),
		h('span', v?.identification_number || ''), tlpMark(tlp)));
	return { el: h('div.print-page', toolbar(`/reports/${id}`), paper), title: `${t('print.title')} ${v?.identification_number || ''}`, name: 'report-print' };
}

export async function advisoryPrintView(ctx) {
	const id = ctx.params[0];
	const adv = await get(`/advisories/${id}`);
	const paper = h('article.paper', { 'aria-label': t('af._title') },
	    tlpMark(adv.tlp),
	    sheetView('af', ADVISORY_FORM, adv.form, { orgs: ctx.orgs }),
	    h('footer.paper-foot', h('span', t('print.printed_at', { at: fmtDateJst(new Date().toISOString()) })),
		h('span', adv.identification_number || ''), tlpMark(adv.tlp)));
	return { el: h('div.print-page', toolbar(`/advisories/${id}`), paper), title: `${t('print.title')} ${adv.identification_number || ''}`, name: 'advisory-print' };
}
