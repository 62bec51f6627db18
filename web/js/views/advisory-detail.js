// views/advisory-detail.js: one 情報提供 — TLP banner, 重要度, the form as
// 図７, versions, acknowledge / relay / approve actions where allowed, and the
// delivery tree: who received, read and acknowledged it, and the latency of
// each hop.  The source review (policy.md "No oracle"): NISC sees the hold
// and the decisions; the CEPTOAR secretariat of an anonymised source sees the
// text with each hit on its source's identity highlighted and approves or
// refuses with a comment.
import { h } from '../dom.js';
import { get, post } from '../api.js';
import { t, fmtDate, fmtDuration } from '../i18n.js';
import { ADVISORY_FORM, labelKey } from '../spec.js';
import { tlpBanner, impBadge, pageHeader, toast, sheetView, orgName, diffForms, diffView } from '../ui.js';
import { openDialog, orgPickerDialog } from '../dialog.js';
import { advisoryActions, relayCandidates, remindTargets } from '../hints.js';
import { returnsBox } from './advisory-form.js';
import { errorText } from '../errors.js';
import { attachmentsPanel } from './attachments.js';
import { holdButton, retentionFacts } from './retention.js';

function timeCell(at, latency) {
	if (!at)
		return h('td.pending', t('delivery.not_yet'));
	return h('td', h('time', { datetime: at }, fmtDate(at)), latency != null ? h('span.latency', ` （${fmtDuration(latency)}）`) : null);
}

export function deliveryTree(delivery, orgs, rootOrg) {
	if (!delivery)
		return null;
	const hops = delivery.hops || [];
	const overdue = new Set((delivery.unacknowledged || []).filter(u => u.overdue).map(u => u.org));
	const byParent = new Map();
	for (const x of hops) {
		if (!byParent.has(x.from_org))
			byParent.set(x.from_org, []);
		byParent.get(x.from_org).push(x);
	}
	const orgsIn = new Set(hops.map(x => x.org));
	const roots = [...byParent.keys()].filter(p => !orgsIn.has(p));
	const body = h('tbody');
	const seen = new Set();
	const walk = (parent, depth) => {
		for (const x of byParent.get(parent) || []) {
			if (seen.has(x.org + ':' + x.from_org))
				continue;
			seen.add(x.org + ':' + x.from_org);
			body.append(h(`tr.depth-${Math.min(depth, 4)}`, { dataset: { org: String(x.org), acked: String(!!x.acknowledged_at), read: String(!!x.read_at) } },
			    h('th', { scope: 'row' }, h('span.tree-indent', { 'aria-hidden': 'true' }, depth ? '└ ' : ''), orgName(orgs, x.org),
				overdue.has(x.org) ? h('span.overdue', t('delivery.overdue')) : null),
			    h('td', t(`via.${x.via}`)),
			    timeCell(x.delivered_at, x.hop_latency_s),
			    timeCell(x.read_at, x.read_latency_s),
			    timeCell(x.acknowledged_at, x.ack_latency_s),
			    h('td.num', String(x.reminders || 0)),
			    h('td.hop-comment', x.comment || '')));
			walk(x.org, depth + 1);
		}
	};
	for (const r of roots) {
		body.append(h('tr.root', h('th', { scope: 'row' }, orgName(orgs, r)), h('td', t('via.origin')), h('td', { colspan: '5' }, '')));
		walk(r, 1);
	}
	const s = delivery.summary || {};
	return h('div.delivery', { id: 'delivery-tree' },
	    h('p.delivery-summary', t('delivery.summary', { delivered: s.delivered || 0, read: s.read || 0, acked: s.acknowledged || 0 })),
	    h('table.list.tree', { 'aria-label': t('delivery.tree_label') },
		h('thead', h('tr', h('th', { scope: 'col' }, t('delivery.col.org')), h('th', { scope: 'col' }, t('delivery.col.via')),
		    h('th', { scope: 'col' }, t('delivery.col.delivered')), h('th', { scope: 'col' }, t('delivery.col.read')),
		    h('th', { scope: 'col' }, t('delivery.col.acked')), h('th', { scope: 'col' }, t('delivery.col.reminders')),
		    h('th', { scope: 'col' }, t('delivery.col.comment')))),
		body));
}

// The string at a hit's dotted field path ("form.threat_content.summary").
function atPath(form, field) {
	let v = form;
	for (const k of field.split('.').slice(1))
		v = v == null ? undefined : v[Array.isArray(v) ? Number(k) : k];
	return typeof v === 'string' ? v : null;
}

// Each field with hits, its text and every hit marked (code point spans).
function hitTexts(form, hits) {
	const byField = new Map();
	for (const x of hits) {
		if (!byField.has(x.field))
			byField.set(x.field, []);
		byField.get(x.field).push(x);
	}
	return [...byField].map(([field, hs]) => {
		const cps = [...(atPath(form, field) || '')];
		const parts = [];
		let at = 0;
		for (const x of hs.sort((a, b) => a.start - b.start)) {
			if (x.start < at)
				continue;
			parts.push(cps.slice(at, x.start).join(''),
			    h('mark', { title: t(`review.kind.${x.kind}`), dataset: { kind: x.kind } }, cps.slice(x.start, x.end).join('')));
			at = x.end;
		}
		parts.push(cps.slice(at).join(''));
		return h('div.review-field', { dataset: { field } },
		    h('p.muted', t(labelKey('af', field.split('.').slice(1).filter(s => !/^\d+$/.test(s)).join('.'))), ' — ',
			hs.map(x => t(`review.kind.${x.kind}`)).join('、')),
		    h('p.deid-excerpt', ...parts));
	});
}

function decisionCell(r) {
	return h(`td.decision.decision-${r.decision}`, t(`review.decision.${r.decision}`));
}

// NISC: the hold and every decision; a secretariat: its own, the hits, the buttons.
function sourceReviewPanel(adv, orgs, me, reload) {
	const sr = adv.source_review;
	if (!sr)
		return null;
	const rows = h('tbody', sr.reviews.map(r => h('tr', { dataset: { report: String(r.report) } },
	    h('td', r.report_identification_number || t('report.no_r')), h('td', orgName(orgs, r.org)),
	    h('td', t('sheet.nth', { n: r.version })), decisionCell(r), h('td.comment', r.comment || '—'),
	    h('td', r.decided_at ? h('time', { datetime: r.decided_at }, fmtDate(r.decided_at)) : t('delivery.not_yet')))));
	const table = h('table.list', { 'aria-label': t('review.title') },
	    h('thead', h('tr', ...['report', 'org', 'version', 'decision', 'comment', 'decided'].map(c => h('th', { scope: 'col' }, t(`review.col.${c}`))))),
	    rows);
	const panel = h('section.panel.source-review', { 'aria-labelledby': 'review-h', id: 'source-review' },
	    h('h2', { id: 'review-h' }, t('review.title')));
	if (!sr.hits) {	/* NISC */
		panel.append(h('p', { id: 'review-state' }, t(`review.nisc.${sr.state}`, { n: sr.version })), table);
		return panel;
	}
	// The hits of every version the decision covers, each over its own text.
	const vers = [...new Set(sr.hits.map(x => x.version))].sort((a, b) => a - b);
	const formOf = n => ((adv.versions || []).find(v => v.version === n) || adv).form;
	panel.append(h('p', { id: 'review-state' }, t('review.sec_intro', { n: sr.version, count: sr.hits.length })));
	panel.append(sr.hits.length ? h('div.review-hits', { id: 'review-hits' }, vers.map(n => h('div', { dataset: { version: String(n) } },
	    vers.length > 1 ? h('h3', t('sheet.nth', { n })) : null, hitTexts(formOf(n), sr.hits.filter(x => x.version === n))))) :
	    h('p.muted', { id: 'review-hits' }, t('review.no_hits')));
	panel.append(table);
	if (sr.state === 'pending' && (me.roles || []).some(r => ['member', 'poc', 'org_admin', 'liaison'].includes(r))) {
		const decide = approve => {
			const comment = h('textarea', { id: 'review-comment', rows: 3 });
			openDialog({
				id: 'review-dlg', title: t(approve ? 'review.approve_title' : 'review.refuse_title'),
				body: h('div', h('p', t(approve ? 'review.approve_body' : 'review.refuse_body')),
				    h('label', { for: 'review-comment' }, t('review.comment')), comment),
				confirmLabel: t(approve ? 'review.approve' : 'review.refuse'),
				onConfirm: async () => {
					const body = { decision: approve ? 'approve' : 'refuse' };
					if (comment.value.trim())
						body.comment = comment.value.trim();
					await post(`/advisories/${adv.id}/source-review`, body);
					toast(t(approve ? 'review.approved' : 'review.refused'));
					reload();
				},
			});
		};
		panel.append(h('div.actions',
		    h('button.primary', { type: 'button', id: 'review-approve', on: { click: () => decide(true) } }, t('review.approve')), ' ',
		    h('button', { type: 'button', id: 'review-refuse', on: { click: () => decide(false) } }, t('review.refuse'))));
	}
	return panel;
}

// Inquiries (問合せ, issue 15): the 様式 names NISC as the contact for CI
// ministries only.  A ministry liaison the advisory reached asks NISC and
// handles its operators' questions (answers, or forwards them to NISC as
// its own inquiry); an operator or CEPTOAR asks its ministry; NISC answers.
// One thread on the advisory, newest last.
function threadItem(x, kind, actions) {
	return h('li.inquiry', { dataset: { kind, id: String(x.id), state: x.state } },
	    h('div.inq-head', h('strong', t(`inq.kind.${kind}`)), ' ', h('span.muted', x.org_name || ''),
		kind === 'question' && x.ministry_name ? h('span.muted', ` → ${x.ministry_name}`) : null,
		' ', h('time', { datetime: x.created_at }, fmtDate(x.created_at)), ' ', h('span', { class: `state inq-${x.state}` }, t(`inq.state.${x.state}`))),
	    h('p.inq-text', x.text),
	    x.answer != null ? h('div.inq-answer', h('strong', t(x.answered_by === 'ministry' ? 'inq.answer_ministry' : 'inq.answer_nisc')), ' ',
		h('time', { datetime: x.answered_at }, fmtDate(x.answered_at)), h('p', x.answer)) : null,
	    actions || null);
}

function textForm(id, label, submitLabel, send, initial = '') {
	const ta = h('textarea', { id: `${id}-text`, rows: 3, maxlength: 4000 }, initial);
	const counter = h('span.counter', { id: `${id}-count` }, `${[...initial].length} / 4000`);
	ta.addEventListener('input', () => { counter.textContent = `${[...ta.value].length} / 4000`; err.hidden = true; });
	const err = h('div.field-err', { id: `${id}-err`, role: 'alert', hidden: true });
	return h('form.inq-form', { id, on: { submit: async ev => {
		ev.preventDefault();
		const btn = ev.currentTarget.querySelector('button[type=submit]');
		btn.disabled = true;
		err.hidden = true;
		try {
			await send(ta.value);
		} catch (e) {
			err.textContent = errorText(e);
			err.hidden = false;
		} finally {
			btn.disabled = false;
		}
	} } }, h('label', { for: `${id}-text` }, label), ta, counter, err,
	    h('div.form-actions', h('button.primary', { type: 'submit', id: `${id}-submit` }, submitLabel)));
}

function inquiryPanel(adv, me, reload) {
	const type = me.org?.type;
	const roles = me.roles || [];
	const reached = !!adv.my_delivery;
	const nisc = type === 'nisc', ministry = type === 'ci_ministry' && roles.includes('liaison');
	const asker = (type === 'ci_operator' || type === 'ceptoar_secretariat') && reached;
	if (!nisc && !ministry && !asker)
		return null;
	const id = adv.id;
	const list = h('ul.plain.inquiries', { id: 'inq-list' });
	const panel = h('section.panel', { id: 'inquiries', 'aria-labelledby': 'inq-h' },
	    h('h2', { id: 'inq-h' }, t('inq.title')), h('p.hint', t(nisc ? 'inq.hint_nisc' : ministry ? 'inq.hint_ministry' : 'inq.hint_asker')), list);
	const loads = [];
	if (nisc || ministry)
		loads.push(get(`/advisories/${id}/inquiries`).then(r => r.items.map(x => ({ x, kind: 'inquiry' }))));
	if (ministry || asker)
		loads.push(get(`/advisories/${id}/questions`).then(r => r.items.map(x => ({ x, kind: 'question' }))));
	Promise.all(loads).then(parts => {
		const all = parts.flat().sort((a, b) => String(a.x.created_at).localeCompare(String(b.x.created_at)));
		if (!all.length)
			list.append(h('li.muted', { id: 'inq-none' }, t('inq.none')));
		for (const { x, kind } of all) {
			let acts = null;
			if (kind === 'inquiry' && nisc && x.state === 'open' && (roles.includes('analyst') || roles.includes('approver')))
				acts = textForm(`inq-answer-${x.id}`, t('inq.answer_label'), t('inq.answer'), async text => {
					await post(`/inquiries/${x.id}/answer`, { text });
					toast(t('inq.answered'));
					reload();
				});
			if (kind === 'question' && ministry && x.state === 'open' && x.ministry === me.org?.id)
				acts = h('div.inq-actions',
				    textForm(`q-forward-${x.id}`, t('inq.forward_label'), t('inq.forward'), async text => {
					await post(`/questions/${x.id}/forward`, { text });
					toast(t('inq.forwarded'));
					reload();
				    }, x.text),
				    textForm(`q-answer-${x.id}`, t('inq.reply_label'), t('inq.reply'), async text => {
					await post(`/questions/${x.id}/answer`, { text });
					toast(t('inq.answered'));
					reload();
				    }));
			list.append(threadItem(x, kind, acts));
		}
	}).catch(e => panel.append(h('p.field-err', errorText(e))));
	if (ministry && reached)
		panel.append(textForm('inq-new', t('inq.new_label'), t('inq.send'), async text => {
			await post(`/advisories/${id}/inquiries`, { text });
			toast(t('inq.sent'));
			reload();
		}));
	if (asker)
		panel.append(textForm('q-new', t('inq.ask_label'), t('inq.ask'), async text => {
			await post(`/advisories/${id}/questions`, { text });
			toast(t('inq.asked'));
			reload();
		}));
	return panel;
}

// Related reports by their R-numbers (NISC reads them), never internal ids.
function relatedLinks(ids) {
	return ids.map(r => {
		const a = h('a.related', { href: `/reports/${r}`, dataset: { report: String(r) } }, t('report.no_r'));
		get(`/reports/${r}`).then(x => { a.textContent = x.identification_number || t('report.no_r'); }).catch(() => {});
		return [a, ' '];
	}).flat();
}

export async function advisoryDetailView(ctx) {
	const id = ctx.params[0];
	const adv = await get(`/advisories/${id}`);
	const { me, orgs } = ctx;
	const acts = advisoryActions(me, adv);
	const reload = () => ctx.navigate(location.pathname, { replace: true });
	const title = t('adv.title', { id: adv.identification_number || '' });
	const actions = [];
	if (acts.ack)
		actions.push(h('button.primary', { type: 'button', id: 'act-ack', on: { click: async ev => {
			ev.target.disabled = true;
			try {
				await post(`/advisories/${id}/ack`);
				toast(t('inbox.acked_toast', { id: adv.identification_number || '' }));
				reload();
			} catch (e) {
				ev.target.disabled = false;
				toast(errorText(e), 'error');
			}
		} } }, t('inbox.ack')));
	if (acts.relay)
		actions.push(h('button.primary', { type: 'button', id: 'act-relay', on: { click: () => orgPickerDialog({
			id: 'relay-dlg', pickerId: 'relay-to', candidates: relayCandidates(me, adv, orgs),
			note: t('adv.relay_note', { tlp: t(`tlp.${adv.tlp}.code`) }) + ' ' + (adv.my_delivery && !adv.my_delivery.acknowledged_at ? t('adv.relay_acks') : ''),
			title: t('adv.relay_title'), confirmLabel: t('adv.relay'), comment: true,
			send: async (to, comment) => {
				const body = { to };
				if (comment)
					body.comment = comment;
				const r = await post(`/advisories/${id}/relay`, body);
				toast(t('adv.relayed', { n: r.delivered_to.length }));
				reload();
			},
		}) } }, t('adv.relay')));
	if (acts.approve)
		actions.push(h('button.primary', { type: 'button', id: 'act-approve', on: { click: () => openDialog({
			id: 'approve-dlg', title: t('adv.approve_title'), body: h('p', t('adv.approve_body')), confirmLabel: t('adv.approve'),
			onConfirm: async () => {
				await post(`/advisories/${id}/approve`);
				toast(t('adv.approved'));
				reload();
			},
		}) } }, t('adv.approve')));
	if (acts.returnDraft)
		actions.push(h('button', { type: 'button', id: 'act-return', on: { click: () => {
			const comment = h('textarea', { id: 'return-comment', rows: 4, 'aria-required': 'true', maxlength: 8000 });
			openDialog({
				id: 'return-dlg', title: t('adv.return_title'), confirmLabel: t('adv.return'),
				body: h('div', h('p', t('adv.return_body')), h('label', { for: 'return-comment' }, t('adv.return_comment') + ' *'), comment),
				onConfirm: async () => {
					if (!comment.value.trim()) {
						comment.setAttribute('aria-invalid', 'true');
						throw new Error(t('adv.return_comment_required'));
					}
					await post(`/advisories/${id}/return`, { comment: comment.value.trim() });
					toast(t('adv.returned_toast'));
					reload();
				},
			});
		} } }, t('adv.return')));
	if (acts.remind) {
		const targets = remindTargets(me, adv);
		actions.push(h('button', { type: 'button', id: 'act-remind', on: { click: () => openDialog({
			id: 'remind-dlg', title: t('adv.remind_title'), confirmLabel: t('adv.remind'),
			body: h('div', h('p', t('adv.remind_body', { n: targets.length })),
			    h('ul.plain', { id: 'remind-orgs' }, targets.map(o => h('li', orgName(orgs, o))))),
			onConfirm: async () => {
				const r = await post(`/advisories/${id}/remind`, {});
				toast(t('adv.reminded', { n: r.reminded.length }));
				reload();
			},
		}) } }, t('adv.remind_n', { n: targets.length })));
	}
	if (acts.followup)
		actions.push(h('a.button', { href: `/advisories/${id}/followup`, id: 'act-followup' },
		    adv.state === 'returned_for_revision' ? t('adv.resubmit') : t('adv.make_followup', { n: adv.version + 1 })));
	actions.push(holdButton('advisory', adv, me, reload));
	actions.push(h('a.button', { href: `/advisories/${id}/print`, id: 'act-print' }, t('common.print_view')));
	actions.push(h('a.button', { href: `/api/v1/advisories/${id}/stix`, download: `advisory-${id}.stix.json`, id: 'act-stix' }, t('common.download_stix')));

	const my = adv.my_delivery;
	const versions = adv.versions || [];
	const el = h('div.detail-page',
	    tlpBanner(adv.tlp, 'advisory'),
	    adv.drill != null ? h('div.drill-banner', { role: 'note', id: 'drill-banner' }, t('drill.banner')) : null,
	    pageHeader(title, ...actions),
	    h('dl.meta',
		h('div', h('dt', t('adv.meta.ident')), h('dd', { id: 't-number' }, adv.identification_number || '')),
		h('div', h('dt', t('adv.meta.importance')), h('dd', impBadge(adv.importance) || '—')),
		h('div', h('dt', t('adv.meta.state')), h('dd', h(`span.state.state-${adv.state}`, t(`advstate.${adv.state}`)))),
		h('div', h('dt', t('adv.meta.urgent')), h('dd', adv.urgent ? t('adv.urgent_badge') : t('common.no'))),
		h('div', h('dt', t('adv.meta.sectors')), h('dd', (adv.sectors || []).map(s => t(`sector.${s}`)).join('、'))),
		h('div', h('dt', t('adv.meta.issued')), h('dd', fmtDate(adv.issued_at) || t('adv.not_issued'))),
		my ? h('div', h('dt', t('adv.meta.my_delivery')), h('dd', { id: 'my-delivery' },
		    t('adv.my_delivery', { delivered: fmtDate(my.delivered_at), acked: my.acknowledged_at ? fmtDate(my.acknowledged_at) : t('delivery.not_yet') }))) : null,
		adv.related_reports?.length ? h('div', h('dt', t('adv.meta.related')), h('dd', { id: 'related-reports' }, relatedLinks(adv.related_reports))) : null,
		...retentionFacts(adv)),
	    returnsBox(adv),
	    sourceReviewPanel(adv, orgs, me, reload),
	    inquiryPanel(adv, me, reload),
	    adv.delivery ? h('section.panel', { 'aria-labelledby': 'dl-h' }, h('h2', { id: 'dl-h' }, t('delivery.title')), deliveryTree(adv.delivery, orgs)) : null,
	    h('div.split',
		h('section.panel.sheet-panel', { 'aria-labelledby': 'sheet-h' }, h('h2', { id: 'sheet-h' }, t('adv.sheet_h', { n: adv.version })),
		    sheetView('af', ADVISORY_FORM, adv.form, { orgs })),
		h('aside', h('section.panel', { 'aria-labelledby': 'ver-h' }, h('h2', { id: 'ver-h' }, t('adv.versions')),
		    h('ol.timeline', versions.map((v, i) => {
			const changes = i > 0 ? diffForms('af', ADVISORY_FORM, versions[i - 1].form, v.form, orgs) : null;
			return h('li.version', h('div.version-head', h('strong', t('sheet.nth', { n: v.version })), h('span.ident', v.identification_number || ''),
			    h('time', { datetime: v.issued_at }, fmtDate(v.issued_at))),
			    changes ? h('details.version-diff', h('summary', t('report.changes_from', { n: versions[i - 1].version, count: changes.length })), diffView(changes)) : null);
		    }))),
		    attachmentsPanel({ me, item: adv, kind: 'advisories', reload }))));
	return { el, title, name: 'advisory-detail' };
}
