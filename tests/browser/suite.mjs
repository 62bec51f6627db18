// tests/browser/suite.mjs: the web UI driven through Debian's chromium, against
// the real cishared started by tests/browser/run.  One story, in order: an
// operator files a 第1報 and a 第2報, the CEPTOAR and the ministry liaison
// forward it, NISC receives it with its R-number and issues an advisory, the
// ministry and the CEPTOAR relay it, it arrives live in an operator's inbox
// and is acknowledged; then English, print views, lists, admin, keyboard and
// layout checks, and the negative cases (CSRF, nda_contractor).
import { createHmac } from 'node:crypto';
import { launch, newContext, login, shot, apiAs, assert, Runner, URL, USERS } from './lib.mjs';

const run = new Runner(process.argv.slice(2));
// Organisation ids from the demo population (as `cishared init --demo` printed them).
const ORG = {
	cas: USERS['cas-officer'].org, fsa: USERS['fsa-liaison'].org, bankCeptoar: USERS['bank-ceptoar-poc'].org,
	bankA: USERS['bank-a-csirt'].org, bankB: USERS['bank-b-csirt'].org, powerA: USERS['power-a-csirt'].org,
};
const S = {};			// state shared along the story
const contexts = [];
const SUMMARY_1 = '23:05 インターネットバンキングの認証サーバでマルウェア感染を検知。不審メール経由と推定。';
const SUMMARY_2 = '感染端末を隔離し、認証サーバを停止中。影響範囲を調査しています。';
const SEARCH_WORD = '認証サーバ';

const browser = await launch();

async function ctxFor(who) {
	const context = await newContext(browser);
	contexts.push(context);
	const page = await login(context, who);
	return { context, page };
}

const text = (page, sel) => page.locator(sel).first().innerText();
const waitView = (page, name) => page.waitForSelector(`main[data-view="${name}"]`);

try {
	await run.test('login page: Japanese first, labelled fields, strict CSP in force', async () => {
		const context = await newContext(browser);
		contexts.push(context);
		const page = await context.newPage();
		const resp = await page.goto(`${URL}/login`);
		const csp = resp.headers()['content-security-policy'] || '';
		assert(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), `CSP: ${csp}`);
		await waitView(page, 'login');
		assert(await page.getAttribute('html', 'lang') === 'ja', 'html lang is not ja');
		assert(await page.locator('label[for="login"]').innerText() === 'ログインID', 'login label');
		assert(await page.locator('label[for="password"]').innerText() === 'パスワード', 'password label');
		await page.click('#login-submit');
		assert((await text(page, '#login-err')).includes('入力してください'), 'empty login not refused');
		await page.fill('#login', 'bank-a-csirt');
		await page.fill('#password', 'not-the-password');
		await page.click('#login-submit');
		await page.waitForFunction(() => document.querySelector('#login-err')?.textContent.includes('違います'));
		await shot(page, '01-login');
	});

	await run.test('login lockout: after five failures the page says so in Japanese, with the wait', async () => {
		const context = await newContext(browser);
		contexts.push(context);
		const page = await context.newPage();
		await page.goto(`${URL}/login`);
		await waitView(page, 'login');
		// A login nobody has: it locks the same way (the lockout never tells whether a login exists).
		for (let i = 0; i < 6; i++) {
			await page.fill('#login', 'browser-lockout-probe');
			await page.fill('#password', `wrong-password-${i}`);
			await page.click('#login-submit');
			await page.waitForFunction(() => !document.querySelector('#login-err')?.hidden);
		}
		await page.waitForFunction(() => /ロックされています。\d+秒後/.test(document.querySelector('#login-err')?.textContent || ''));
	});

	await run.test('operator files a 第1報 through the 情報連絡様式 (client checks, then sent)', async () => {
		const { page } = await ctxFor('bank-a-csirt');
		S.op = page;
		await page.click('a[data-nav="reports"]');
		await waitView(page, 'reports');
		await page.click('#new-report');
		await waitView(page, 'report-new');
		// The 様式's own wording, in its order, with ①…⑨.
		const labels = await page.locator('.sheet-rows .lbl, .sheet-rows .grp-h').allInnerTexts();
		const order = ['報数', '識別番号', '情報連絡日時', '情報連絡元', '情報共有範囲', '特記事項', '①発生した事象の類型', '②上記事象における原因の類型',
			'別紙有無', '③分野名', '④事象が発生した重要インフラ事業者等名', '⑤概要', '⑥重要インフラサービス等への影響', '⑦当該事象に係る推移等', '⑧今後の予定', '⑨その他・得られた教訓等'];
		let at = -1;
		for (const want of order) {
			const i = labels.findIndex((l, k) => k > at && l.startsWith(want));
			assert(i > at, `label ${want} missing or out of order`);
			at = i;
		}
		assert((await text(page, 'label[for="fld-form-tlp-red"]')).includes('NISC重要インフラ防護担当(※１)限り'), 'TLP RED wording of the 手引書 missing');
		// Nothing filled: the required fields are flagged at the field, summary announced.
		await page.click('#submit');
		await page.waitForSelector('#rf-errors:not([hidden])');
		assert(await page.isVisible('#fld-form-tlp-err'), 'no error at TLP');
		assert(await page.isVisible('#fld-form-has_attachment-err'), 'no error at 別紙有無');
		assert(await page.getAttribute('#rf-errors', 'aria-live') === 'assertive', 'error summary is not aria-live');
		// A malformed date is refused before it reaches the server.
		await page.fill('#fld-form-overview-discovered_at', '2026-13-40 25:00');
		await page.check('#fld-form-tlp-amber');
		await page.check('#fld-form-has_attachment-no');
		await page.click('#submit');
		await page.waitForSelector('#fld-form-overview-discovered_at-err:not([hidden])');
		assert((await text(page, '#fld-form-overview-discovered_at-err')).includes('YYYY-MM-DD HH:MM'), 'date error text');
		await shot(page, '02-report-validation');
		// Fill in the form like a liaison at 23:00.
		await page.check('#fld-form-importance-caution');
		await page.check('#fld-form-event_type-event_malware_infection');
		await page.check('#fld-form-cause_types-cause_suspicious_email_received');
		await page.check('#fld-form-cause_types-cause_suspicious_file_execution');
		assert(await page.inputValue('#fld-form-sector') === 'finance', 'sector not prefilled from the organisation');
		await page.fill('#fld-form-overview-discovered_at', '2026-11-21 23:05');
		await page.fill('#fld-form-overview-occurred_at', '2026-11-21 22:40');
		await page.fill('#fld-form-overview-occurred_at_remark', 'サーバログ等より推測');
		// The bank names itself in the text: the CEPTOAR's forward removes it.
		await page.fill('#fld-form-overview-affected_system_or_contractor', 'みなと銀行 インターネットバンキング認証サーバ');
		await page.fill('#fld-form-overview-event_summary', SUMMARY_1);
		await page.check('#fld-form-impact-system_operation_status-partially_operating');
		await page.check('#fld-form-impact-service_level_deviation-no');
		await page.click('#fld-form-timeline-add');
		await page.fill('#fld-form-timeline-0-at', '11/21 23:05');
		await page.fill('#fld-form-timeline-0-description', 'EDRが検知、CSIRTへ連絡');
		await page.click('#fld-form-timeline-add');
		await page.fill('#fld-form-timeline-1-at', '11/21 23:20');
		await page.fill('#fld-form-timeline-1-description', '感染端末をネットワークから隔離');
		await page.check('#fld-form-next_steps-event_ongoing');
		// A reload (or a session expiry and log-in again) in the same tab keeps the input.
		await page.waitForTimeout(400);
		await page.reload();
		await waitView(page, 'report-new');
		// The draft is offered, never restored silently (issue 15).
		await page.waitForSelector('#draft-prompt');
		assert((await text(page, '#draft-prompt')).includes('保存'), 'the draft\'s age is not shown');
		assert(await page.inputValue('#fld-form-overview-event_summary') === '', 'the draft was restored without asking');
		await page.click('#draft-restore');
		await waitView(page, 'report-new');
		await page.waitForSelector('#draft-discard');
		assert(await page.inputValue('#fld-form-overview-event_summary') === SUMMARY_1, 'draft summary lost');
		assert(await page.isChecked('#fld-form-tlp-amber') && await page.inputValue('#fld-form-timeline-1-at') === '11/21 23:20', 'draft fields lost');
		// Safe defaults (issue 15): direct route preselected, 報告義務 asked explicitly.
		assert(await page.isChecked('#fld-route-direct'), 'the default route is not direct');
		assert(!(await page.isChecked('#fld-legal_duty-yes')) && !(await page.isChecked('#fld-legal_duty-no')), '報告義務 has a default');
		await page.check('#fld-legal_duty-no');
		await page.check('#fld-route-via_ceptoar');
		await page.evaluate(() => document.querySelector('.sheet').scrollIntoView({ block: 'start' }));
		await shot(page, '03-report-new');
		await page.click('#submit');
		// The review step: route, first recipients, TLP.
		await page.waitForSelector('#confirm-send[open]');
		assert((await text(page, '#confirm-to')).includes('CEPTOAR'), 'the confirmation does not name the CEPTOAR');
		assert((await text(page, '#confirm-tlp')).includes('AMBER'), 'the confirmation does not show the TLP');
		await page.click('#confirm-send-confirm');
		await waitView(page, 'report-detail');
		S.reportId = Number(/\/reports\/(\d+)$/.exec(page.url())[1]);
		assert(S.reportId > 0, 'no report id');
		assert(await page.isVisible('.tlp-banner.tlp-amber'), 'no AMBER banner');
		assert((await text(page, 'ol.route li.current')).includes('セプター事務局'), 'not at the CEPTOAR');
	});

	await run.test('第2報: prefilled from the 第1報, with a diff of what changed', async () => {
		const page = S.op;
		await page.click('#act-followup');
		await waitView(page, 'report-followup');
		assert(await page.inputValue('#fld-form-overview-event_summary') === SUMMARY_1, 'not prefilled');
		assert(await page.isChecked('#fld-form-tlp-amber'), 'TLP not prefilled');
		assert(await page.isDisabled('#fld-form-tlp-green'), 'a wider TLP is offered on a follow-up');
		assert(await page.isDisabled('#fld-form-sector'), 'sector is editable on a follow-up');
		assert(await page.inputValue('#fld-form-timeline-1-description') === '感染端末をネットワークから隔離', 'timeline not prefilled');
		await page.fill('#fld-form-overview-event_summary', SUMMARY_2);
		await page.check('#fld-form-impact-system_operation_status-stopped');
		await page.click('#fld-form-timeline-add');
		await page.fill('#fld-form-timeline-2-at', '11/22 00:10');
		await page.fill('#fld-form-timeline-2-description', '認証サーバを停止、代替手段で受付');
		await page.waitForSelector('#diff table.diff tr[data-path="overview.event_summary"]');
		const rows = await page.locator('#diff table.diff tbody tr').count();
		assert(rows === 3, `diff has ${rows} rows, want 3`);
		assert((await text(page, '#diff tr[data-path="impact.system_operation_status"] td.after')).includes('停止中'), 'diff after-value');
		await shot(page, '04-report-followup-diff');
		await page.click('#submit');
		await waitView(page, 'report-detail');
		assert((await page.locator('ol.timeline li.version').count()) === 2, 'two versions expected');
		assert((await text(page, 'ol.timeline li.version[data-version="2"]')).includes('第1報からの変更 3 件'), 'version diff summary');
		// The source's own anonymised reports are listed apart (?anonymised=mine).
		await page.click('a[data-nav="reports"]');
		await page.waitForSelector(`#reports-mine-anon-table tr[data-id="${S.reportId}"]`);
	});

	await run.test('CEPTOAR secretariat forwards the series to the ministry (anonymised)', async () => {
		const { page } = await ctxFor('bank-ceptoar-poc');
		await waitView(page, 'inbox');
		await page.waitForSelector(`#waiting-reports tr[data-id="${S.reportId}"]`);
		await page.click(`#waiting-reports tr[data-id="${S.reportId}"] a`);
		await waitView(page, 'report-detail');
		await page.click('#act-forward');
		// The preview: what the ministry would receive, the bank's name marked as removed.
		await page.waitForSelector('#forward-preview');
		const row = '#forward-preview .fwd-row[data-path="overview.affected_system_or_contractor"]';
		assert((await text(page, `${row} mark.redaction`)) === '［匿名化］', 'the redaction is not marked');
		assert(!(await text(page, '#forward-preview')).includes('みなと銀行'), 'the preview names the bank');
		// Two member banks: the source may be guessable; the forward needs a confirmation.
		assert((await text(page, '#forward-anon-warning')).includes('2 者'), 'no anonymity-set warning');
		await shot(page, '05-forward-preview');
		await page.click('#forward-dlg-confirm');
		await page.waitForSelector('#forward-dlg-err:not([hidden])');
		assert((await text(page, '#forward-dlg-err')).includes('チェック'), 'forwarded without the confirmation');
		// The secretariat edits the wording before sending.
		await page.click(`${row} button`);
		await page.fill(`${row} textarea`, '［匿名化］ 認証サーバ（勘定系とは別）');
		await page.check('#forward-anon-confirm');
		await page.click('#forward-dlg-confirm');
		await page.waitForSelector('ol.route li.current[data-step="ci_ministry"]');
		assert(!(await page.isVisible('#act-forward')), 'forward still offered after forwarding');
	});

	await run.test('ministry liaison forwards it to NISC; the R-number is assigned', async () => {
		const { page } = await ctxFor('fsa-liaison');
		S.fsa = page;
		await page.waitForSelector(`#waiting-reports tr[data-id="${S.reportId}"]`);
		await page.goto(`${URL}/reports/${S.reportId}`);
		await waitView(page, 'report-detail');
		const src = await text(page, 'ol.route li[data-step="source"]');
		assert(src.includes('［匿名化］') && !src.includes('みなと銀行'), `ministry sees the source: ${src}`);
		const sheet = await text(page, '.sheet-panel');
		assert(sheet.includes('勘定系とは別') && !sheet.includes('みなと銀行'), 'the ministry does not get the edited, anonymised text');
		await page.click('#act-forward');
		await page.click('#forward-dlg-confirm');
		await page.waitForSelector('ol.route li.current[data-step="nisc"]');
		S.rnum = (await text(page, '#r-number')).trim();
		assert(/^R\d+$/.test(S.rnum), `R-number: ${S.rnum}`);
	});

	await run.test('NISC receives the report with its R-number and the route times', async () => {
		const { page } = await ctxFor('nisc-analyst');
		S.nisc = page;
		await page.waitForSelector(`#waiting-reports tr[data-id="${S.reportId}"]`);
		assert((await text(page, `#waiting-reports tr[data-id="${S.reportId}"]`)).includes(S.rnum), 'R-number not in the NISC inbox');
		await page.click(`#waiting-reports tr[data-id="${S.reportId}"] a`);
		await waitView(page, 'report-detail');
		assert((await text(page, '#r-number')).trim() === S.rnum, 'R-number on the detail');
		assert((await page.locator('ol.route li.done').count()) === 4, 'route not complete');
		for (const step of ['ceptoar_secretariat', 'ci_ministry', 'nisc'])
			assert(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(await text(page, `ol.route li[data-step="${step}"] .step-at`)), `no time at ${step}`);
		assert((await text(page, 'ol.timeline li.version[data-version="2"] .ident')).trim() === `${S.rnum}-2`, 'R-n-2 on version 2');
		await shot(page, '05-report-detail');
		// ※１: NISC may share with the Cabinet Secretariat's crisis management (org 3).
		await page.click('#act-share');
		assert(!(await page.isVisible(`#share-to-${ORG.powerA}`)), 'an electricity operator is offered for an AMBER finance report');
		await page.check(`#share-to-${ORG.cas}`);
		await page.click('#share-dlg-confirm');
		await waitView(page, 'report-detail');
		await page.waitForSelector('#sh-h');
	});

	// NISC composes an advisory on the anonymised report (図７).
	const compose = async (page, summary) => {
		await page.click('a[data-nav="advisories"]');
		await page.click('#new-advisory');
		await waitView(page, 'advisory-new');
		await page.check(`#rel-${S.reportId}`);
		await page.waitForFunction(() => document.querySelector('#scope-hint')?.textContent.includes('AMBER'));
		await page.check('#fld-form-importance-caution');
		await page.selectOption('#fld-form-recipients-0-sector', 'finance');
		await page.check('#fld-form-tlp-amber');
		await page.check('#fld-form-has_attachment-no');
		await page.fill('#fld-form-threat_content-summary', summary);
		await page.fill('#fld-form-threat_content-target', 'インターネットバンキングの認証基盤を運用する金融機関');
		await page.fill('#fld-form-countermeasures', '不審メールの添付ファイルを開かないよう周知し、EDRの検知ルールを更新すること。');
		await page.click('#submit');
		await page.waitForSelector('#confirm-issue[open]');
		await page.click('#confirm-issue-confirm');
		await waitView(page, 'advisory-detail');
		await page.waitForSelector('.state-pending_source_review');
		return Number(/\/advisories\/(\d+)$/.exec(page.url())[1]);
	};

	await run.test('情報提供 compose (図７): naming the anonymised source, held for its secretariat (no oracle for NISC)', async () => {
		const page = S.nisc;
		S.heldId = await compose(page, 'みなと銀行で検知されたマルウェアに関する注意喚起。不審メールの添付ファイルに注意。');
		assert((await text(page, '#review-state')).includes('出典の CEPTOAR 事務局が確認するまで配信されません'), 'the hold is not explained');
		assert(!(await page.isVisible('#review-hits')) && (await page.locator('#source-review mark').count()) === 0, 'NISC sees hits');
		assert(!(await page.isVisible('#fld-form-threat_content-summary-err')), 'a de-identification error for NISC');
		await shot(page, '06-advisory-held-nisc');
	});

	await run.test('source review: the CEPTOAR secretariat sees the hit highlighted (Japanese) and returns it; NISC reads the comment', async () => {
		const { page: cep } = await ctxFor('bank-ceptoar-poc');
		S.cepReview = cep;
		const li = cep.locator(`#decisions li[data-review="${S.heldId}"]`);
		await li.waitFor();
		assert((await li.innerText()).includes('出典確認の依頼'), 'review task text');
		await li.locator('a').click();
		await waitView(cep, 'advisory-detail');
		await cep.waitForSelector('#review-hits mark');
		assert((await text(cep, '#review-hits mark')) === 'みなと銀行', `hit not highlighted: ${await text(cep, '#review-hits')}`);
		assert(await cep.getAttribute('#review-hits mark', 'title') === '組織名', 'hit kind');
		assert((await text(cep, '#review-state')).includes('貴事務局が匿名化した情報連絡'), 'intro');
		await cep.locator('#source-review').scrollIntoViewIfNeeded();
		await shot(cep, '06b-source-review-ceptoar');
		await cep.click('#review-refuse');
		await cep.fill('#review-comment', '組織名が記載されています。削除してください。');
		await cep.click('#review-dlg-confirm');
		await cep.waitForSelector('.state-returned');
		const page = S.nisc;
		await page.goto(`${URL}/advisories/${S.heldId}`);
		await waitView(page, 'advisory-detail');
		await page.waitForSelector('.state-returned');
		assert((await text(page, '#source-review')).includes('組織名が記載されています。削除してください。'), 'NISC does not read the comment');
		assert((await text(page, '#source-review')).includes('差し戻し'), 'NISC does not read the decision');
	});

	await run.test('情報提供: the corrected advisory, approved by the secretariat, is issued', async () => {
		const page = S.nisc;
		await compose(page, '金融機関で検知されたマルウェアに関する注意喚起。不審メールの添付ファイルに注意。');
		const id = Number(/\/advisories\/(\d+)$/.exec(page.url())[1]);
		const cep = S.cepReview;
		await cep.goto(`${URL}/advisories/${id}`);
		await waitView(cep, 'advisory-detail');
		await cep.waitForSelector('#review-approve');
		assert((await text(cep, '#review-hits')).includes('見つかりませんでした'), 'hits on a clean text');
		await cep.click('#review-approve');
		await cep.click('#review-dlg-confirm');
		await cep.waitForSelector('.state-issued');
		await page.goto(`${URL}/advisories/${id}`);
		await waitView(page, 'advisory-detail');
		await page.waitForSelector('.state-issued');
		S.advId = Number(/\/advisories\/(\d+)$/.exec(page.url())[1]);
		S.tnum = (await text(page, '#t-number')).trim();
		assert(/^T\d+$/.test(S.tnum), `T-number ${S.tnum}`);
		assert(await page.isVisible('.tlp-banner.tlp-amber'), 'no AMBER banner on the advisory');
	});

	await run.test('警報 needs a second NISC approver (four-eyes) before delivery', async () => {
		const r = await apiAs('nisc-analyst', 'POST', '/advisories', { form: { importance: 'alert', recipients: [{ sector: 'electricity' }], tlp: 'green', has_attachment: 'no',
			threat_content: { summary: '電力分野向け警報（二者確認の確認用）' } } });
		assert(r.status === 201 && r.body.state === 'pending_approval', `create: ${r.status} ${JSON.stringify(r.body)}`);
		const page = S.nisc;
		await page.goto(`${URL}/advisories/${r.body.id}`);
		await waitView(page, 'advisory-detail');
		assert(!(await page.isVisible('#act-approve')), 'the analyst (not an approver) is offered approval');
		const { page: ap } = await ctxFor('nisc-approver');
		await ap.waitForSelector(`#decisions li[data-adv="${r.body.id}"]`);
		await ap.waitForSelector('#waiting-reports table');
		await shot(ap, '16-inbox-nisc-approver');
		await ap.click(`#decisions li[data-adv="${r.body.id}"] a`);
		await waitView(ap, 'advisory-detail');
		await ap.click('#act-approve');
		await ap.click('#approve-dlg-confirm');
		await ap.waitForSelector('.state-issued');
	});

	await run.test('relay: ministry → CEPTOAR → operators; it arrives live in an operator inbox (SSE)', async () => {
		const { page: opb } = await ctxFor('bank-b-csirt');
		S.opb = opb;
		await waitView(opb, 'inbox');
		await opb.waitForSelector('.inbox-page[data-ready="true"]');
		await opb.waitForFunction(() => document.documentElement.dataset.live === 'open');
		assert(!(await opb.isVisible(`#inbox-rows tr[data-id="${S.advId}"]`)), 'delivered before the relay');
		const fsa = S.fsa;
		await fsa.goto(`${URL}/advisories/${S.advId}`);
		await waitView(fsa, 'advisory-detail');
		await fsa.click('#act-relay');
		await fsa.check(`#relay-to-${ORG.bankCeptoar}`);
		await fsa.click('#relay-dlg-confirm');
		await fsa.waitForSelector(`#delivery-tree tr[data-org="${ORG.bankCeptoar}"]`);
		const { page: cep } = await ctxFor('bank-ceptoar-poc');
		await cep.waitForSelector(`#inbox-rows tr[data-id="${S.advId}"]`);
		await cep.click(`#inbox-rows tr[data-id="${S.advId}"] a`);
		await waitView(cep, 'advisory-detail');
		await cep.click('#act-relay');
		assert(!(await cep.isVisible(`#relay-to-${ORG.powerA}`)), 'CEPTOAR offered a non-member');
		await cep.check(`#relay-to-${ORG.bankA}`);
		await cep.check(`#relay-to-${ORG.bankB}`);
		await cep.click('#relay-dlg-confirm');
		await cep.waitForSelector(`#delivery-tree tr[data-org="${ORG.bankB}"]`);
		// No reload: the row is pushed by the server.
		await opb.waitForSelector(`#inbox-rows tr[data-id="${S.advId}"].fresh`, { timeout: 10000 });
		assert((await text(opb, `#inbox-rows tr[data-id="${S.advId}"]`)).includes(S.tnum), 'T-number in the live row');
		assert(await opb.isVisible('#unread-badge'), 'unread badge not shown');
		await shot(opb, '07-inbox-live');
	});

	await run.test('operator acknowledges; NISC sees it in the delivery tree with latencies', async () => {
		const opb = S.opb;
		await opb.click(`#inbox-rows tr[data-id="${S.advId}"] td.ack button`);
		await opb.waitForSelector(`#inbox-rows tr[data-id="${S.advId}"][data-acked="true"]`);
		await opb.check('#inbox-filter-unacknowledged');
		await opb.waitForSelector('.inbox-page[data-ready="true"]');
		assert(!(await opb.isVisible(`#inbox-rows tr[data-id="${S.advId}"]`)), 'acknowledged item under 受領未確認');
		const page = S.nisc;
		await page.goto(`${URL}/advisories/${S.advId}`);
		await waitView(page, 'advisory-detail');
		await page.waitForSelector(`#delivery-tree tr[data-org="${ORG.bankB}"][data-acked="true"]`);
		const row = await text(page, `#delivery-tree tr[data-org="${ORG.bankB}"]`);
		assert(/中継/.test(row) && /（\d+秒）|（\d+分/.test(row), `delivery row: ${row}`);
		// The ministry and the CEPTOAR acknowledged by relaying (issue 15), then bank B.
		assert((await text(page, '.delivery-summary')).includes('受領確認 3'), `summary: ${await text(page, '.delivery-summary')}`);
		// ※1: NISC itself relays only to the Cabinet Secretariat and pre-arranged agencies.
		await page.click('#act-relay');
		assert(await page.isVisible(`#relay-to-${ORG.cas}`) && !(await page.isVisible(`#relay-to-${ORG.bankA}`)), 'NISC relay candidates');
		await page.click('#relay-dlg-cancel');
		await page.locator('#delivery-tree').scrollIntoViewIfNeeded();
		await shot(page, '08-advisory-delivery-tree');
	});

	await run.test('scope consent: NISC asks to widen, the CEPTOAR (for the anonymised source) approves', async () => {
		const page = S.nisc;
		await page.goto(`${URL}/reports/${S.reportId}`);
		await waitView(page, 'report-detail');
		await page.click('#act-widen');
		await page.selectOption('#widen-tlp', 'green');
		await page.fill('#widen-reason', '他分野への注意喚起のため');
		await page.click('#widen-dlg-confirm');
		await page.waitForSelector('#widen-dlg', { state: 'detached' });
		const { page: cep } = await ctxFor('bank-ceptoar-poc');
		const li = cep.locator('#decisions li[data-widening]').first();
		await li.waitFor();
		const item = await li.innerText();
		assert(item.includes('TLP:GREEN'), 'widening request text');
		// Issue 15: the R-number, never the internal id, and no one-click consent.
		assert(item.includes(S.rnum) && !/#\d/.test(item), `the request names ${S.rnum}: ${item}`);
		await li.locator('button.primary').click();
		await cep.waitForSelector('#widen-dlg');
		const dlg = await text(cep, '#widen-dlg');
		assert((await text(cep, '#widen-report-link')) === S.rnum, 'the dialog links the report by its R-number');
		assert(/内閣|NISC/.test(await text(cep, '#widen-requester')), `requester: ${dlg}`);
		await cep.waitForFunction(() => /TLP:AMBER/.test(document.querySelector('#widen-before')?.textContent || ''));
		assert((await text(cep, '#widen-after')).includes('TLP:GREEN'), `preview: ${dlg}`);
		await shot(cep, '23-consent-dialog');
		assert(await cep.isVisible(`#decisions li[data-widening] button.primary`), 'approved before confirming');
		await cep.click('#widen-dlg-confirm');
		await cep.waitForSelector('#decisions li:has-text("同意しました")');
	});

	await run.test('開示: NISC records a disclosure basis in Japanese (confirmed), the operator sees it', async () => {
		const form = { tlp: 'amber', sector: 'finance', has_attachment: 'no', event_type: 'event_malware_infection', importance: 'caution',
			cause_types: ['cause_suspicious_email_received'], overview: { discovered_at: '2026-12-01T09:00:00+09:00', event_summary: '開示の根拠の確認用' } };
		const r = await apiAs('bank-a-csirt', 'POST', '/reports', { route: 'direct', legal_duty: false, form });
		assert(r.status === 201, `file: ${r.status} ${JSON.stringify(r.body)}`);
		const f = await apiAs('fsa-liaison', 'POST', `/reports/${r.body.id}/forward`, {});
		assert(f.status === 200, `forward: ${f.status}`);
		const { page } = await ctxFor('nisc-analyst');
		await page.goto(`${URL}/reports/${r.body.id}`);
		await waitView(page, 'report-detail');
		assert((await text(page, '#disclosures-none')).includes('非開示'), 'no "not disclosed" note');
		await page.click('#act-disclose');
		assert((await text(page, 'label[for="disclose-basis-law"]')).includes('法令等の定め'), 'law basis label');
		assert((await text(page, 'label[for="disclose-basis-public_interest"]')).includes('人の生命、健康、生活又は財産を保護するため'), 'public interest explained');
		await page.click('#disclose-dlg-confirm');
		await page.waitForFunction(() => document.querySelector('#disclose-dlg-err')?.textContent.includes('入力してください'));
		await page.check('#disclose-basis-public_interest');
		await page.fill('#disclose-reason', '同種のマルウェアによる被害の拡大を防ぐため\n（報道発表に先立ち関係者へ周知）');
		await page.fill('#disclose-to', '一般（報道発表）');
		await page.click('#disclose-dlg-confirm');
		await page.waitForSelector('#disclose-confirm-dlg');
		assert((await text(page, '#disclose-confirm-dlg')).includes('取り消せません'), 'the confirmation does not warn');
		await shot(page, '17-disclosure-confirm');
		await page.click('#disclose-confirm-dlg-confirm');
		await page.waitForSelector('#disclosures li.disclosure');
		const li = await text(page, '#disclosures li.disclosure');
		assert(li.includes('公益上の必要') && li.includes('一般（報道発表）') && li.includes('報道発表に先立ち'), `entry: ${li}`);
		assert(li.includes('内閣') || li.includes('NISC'), `deciding org not shown: ${li}`);
		const { page: op } = await ctxFor('bank-a-csirt');
		await op.goto(`${URL}/reports/${r.body.id}`);
		await waitView(op, 'report-detail');
		await op.waitForSelector('#disclosures li.disclosure');
		assert((await text(op, '#disclosures li.disclosure')).includes('公益上の必要'), 'the operator does not see the basis');
		assert(!(await op.isVisible('#act-disclose')), 'the operator is offered to record a basis');
		await op.locator('#disclosures').scrollIntoViewIfNeeded();
		await shot(op, '18-disclosure-operator');
	});

	await run.test('lists and search: Japanese full text and filters', async () => {
		const page = S.nisc;
		await page.goto(`${URL}/search?q=${encodeURIComponent(SEARCH_WORD)}&sector=finance&tlp=amber`);
		await waitView(page, 'search');
		await page.waitForSelector(`#search-hits li.hit[data-type="report"][data-id="${S.reportId}"]`);
		await page.goto(`${URL}/reports`);
		await waitView(page, 'reports');
		await page.selectOption('#flt-cause', 'cause_suspicious_file_execution');
		await page.fill('#flt-q', '停止中');
		await page.click('#flt-submit');
		await page.waitForSelector(`#reports-table tr[data-id="${S.reportId}"]`);
		await page.selectOption('#flt-event_type', 'event_information_leak');
		await page.click('#flt-submit');
		await page.waitForSelector('#reports-results[aria-busy="false"]');
		assert(!(await page.isVisible(`#reports-table tr[data-id="${S.reportId}"]`)), 'event filter ignored');
		await page.goto(`${URL}/search?q=${encodeURIComponent(SEARCH_WORD)}`);
		await page.waitForSelector(`#search-hits li.hit[data-type="report"][data-id="${S.reportId}"]`);
		await shot(page, '09-search');
	});

	await run.test('search: ranked hits with highlighted snippets in Japanese (GET /search)', async () => {
		const page = S.nisc;
		// A word of the 第1報 only (its 概要), typed with half-width katakana.
		await page.goto(`${URL}/search`);
		await waitView(page, 'search');
		await page.fill('#flt-q', '不審ﾒｰﾙ経由');
		await page.click('#flt-submit');
		const hit = `#search-hits li.hit[data-type="report"][data-id="${S.reportId}"]`;
		await page.waitForSelector(`${hit} .snippet mark`);
		const sn = `${hit} .snippet[data-version="1"][data-field="form.overview.event_summary"]`;
		assert(await text(page, `${sn} mark`) === '不審メール経由', `mark: ${await text(page, `${sn} mark`)}`);
		assert((await text(page, `${sn} .snippet-where`)).includes('第1報'), 'the snippet does not say 第1報');
		assert((await text(page, `${sn} .snippet-where`)).includes('発生事象の概要'), 'the snippet does not name its field');
		assert((await text(page, `${sn} .snippet-text`)).includes('マルウェア感染を検知。不審メール経由と推定'), 'snippet text');
		assert(await page.locator(`${hit} .snippet:not([data-version="1"])`).count() === 0, 'a snippet from a version without the word');
		assert((await text(page, `${hit} .hit-type`)) === '情報連絡', 'kind label');
		// Both kinds, the advisory's snippet marked too; then only advisories.
		await page.goto(`${URL}/search?q=${encodeURIComponent(SEARCH_WORD)}`);
		await page.waitForSelector('#search-results[aria-busy="false"]');
		const marks = await page.locator('#search-hits mark').allInnerTexts();
		assert(marks.length > 0 && marks.every(m => m === SEARCH_WORD), `marks: ${marks}`);
		await page.selectOption('#flt-type', 'advisory');
		await page.click('#flt-submit');
		await page.waitForSelector('#search-results[aria-busy="false"]');
		assert(!(await page.isVisible(`${hit}`)), 'type=advisory still lists the report');
		assert(await page.locator('#search-hits li.hit[data-type="report"]').count() === 0, 'a report among advisories');
		await shot(page, '09b-search-snippets');
	});

	await run.test('print views reproduce the paper 様式 (print CSS)', async () => {
		const page = S.nisc;
		await page.goto(`${URL}/reports/${S.reportId}/print`);
		await waitView(page, 'report-print');
		await page.emulateMedia({ media: 'print' });
		assert(!(await page.isVisible('.app-header')) && !(await page.isVisible('.app-nav')), 'chrome visible in print');
		assert(await page.isVisible('article.paper .sheet'), 'paper form not visible');
		const boxes = await text(page, 'article.paper .sheet-head');
		assert(boxes.includes('■') && boxes.includes('□'), 'no check boxes on paper');
		assert((await text(page, 'article.paper')).includes(`${S.rnum}-2`), 'ident on paper');
		await shot(page, '10-print-report');
		await page.goto(`${URL}/advisories/${S.advId}/print`);
		await waitView(page, 'advisory-print');
		assert((await text(page, 'article.paper')).includes('（内閣官房→重要インフラ所管省庁）'), 'advisory direction');
		await shot(page, '11-print-advisory');
		const pdf = await page.pdf({ format: 'A4' });
		assert(pdf.length > 10000, 'PDF too small');
		await page.emulateMedia({ media: 'screen' });
	});

	await run.test('STIX download on the report and advisory pages (ja, en)', async () => {
		const page = S.nisc;
		for (const [kind, id] of [['reports', S.reportId], ['advisories', S.advId]]) {
			await page.goto(`${URL}/${kind}/${id}`);
			await waitView(page, kind === 'reports' ? 'report-detail' : 'advisory-detail');
			assert((await text(page, '#act-stix')).trim() === 'STIXでダウンロード', `${kind}: link text`);
			assert(await page.getAttribute('#act-stix', 'href') === `/api/v1/${kind}/${id}/stix`, `${kind}: link target`);
			const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#act-stix')]);
			const file = await dl.path();
			const bundle = JSON.parse((await import('node:fs')).readFileSync(file, 'utf8'));
			assert(bundle.type === 'bundle' && bundle.objects.some(o => o.type === (kind === 'reports' ? 'incident' : 'report')),
			    `${kind}: the download is not the item's bundle`);
			const resp = await page.request.get(`${URL}/api/v1/${kind}/${id}/stix`);
			assert(resp.headers()['content-type'] === 'application/stix+json;version=2.1', `${kind}: media type`);
		}
		await page.click('#lang-toggle');
		await page.waitForFunction(() => document.documentElement.lang === 'en');
		await waitView(page, 'advisory-detail');
		assert((await text(page, '#act-stix')).trim() === 'Download STIX', 'English link text');
		await page.click('#lang-toggle');
		await page.waitForFunction(() => document.documentElement.lang === 'ja');
	});

	await run.test('English one click away (and back)', async () => {
		const page = S.nisc;
		await page.goto(`${URL}/reports/${S.reportId}`);
		await waitView(page, 'report-detail');
		await page.click('#lang-toggle');
		await page.waitForFunction(() => document.documentElement.lang === 'en');
		await waitView(page, 'report-detail');
		assert((await text(page, 'a[data-nav="inbox"]')).startsWith('Inbox'), 'nav not English');
		assert((await text(page, '.sheet-rows')).includes('(1) Type of the event'), 'form labels not English');
		assert((await text(page, '.tlp-banner')).includes('Specific sector; persons concerned only'), 'TLP wording not English');
		await shot(page, '12-english');
		await page.click('#lang-toggle');
		await page.waitForFunction(() => document.documentElement.lang === 'ja');
	});

	await run.test('CSRF: a state change without the token is refused', async () => {
		const page = S.opb;
		const r = await page.evaluate(async id => {
			const resp = await fetch(`/api/v1/advisories/${id}/ack`, { method: 'POST', credentials: 'same-origin' });
			return { status: resp.status, body: await resp.json() };
		}, S.advId);
		assert(r.status === 403 && r.body.error.field === 'X-CSRF-Token', `got ${r.status} ${JSON.stringify(r.body)}`);
		const cookies = await page.context().cookies();
		const c = cookies.find(x => x.name === 'cishare_session');
		assert(c && c.httpOnly && c.sameSite === 'Strict', `cookie flags ${JSON.stringify(c)}`);
		assert(!(await page.evaluate(() => document.cookie)).includes('cishare_session'), 'session cookie readable by script');
	});

	await run.test('nda_contractor cannot open an AMBER+STRICT item', async () => {
		const r = await apiAs('bank-a-csirt', 'POST', '/reports', { route: 'direct', form: { tlp: 'amber_strict', has_attachment: 'no', sector: 'finance',
			overview: { event_summary: '組織内関係者限りの事案（委託先は閲覧不可）' } } });
		assert(r.status === 201, `create: ${r.status}`);
		const { page } = await ctxFor('bank-a-contractor');
		await page.goto(`${URL}/reports/${r.body.id}`);
		await page.waitForSelector('main[data-view="error"]');
		assert((await text(page, '.error-box')).includes('見つかりません'), 'contractor sees something');
		await shot(page, '14-nda-contractor-refused');
		await page.goto(`${URL}/reports`);
		await page.waitForSelector('#reports-results[aria-busy="false"]');
		assert(!(await page.isVisible(`#reports-table tr[data-id="${r.body.id}"]`)), 'listed for the contractor');
		const { page: own } = await ctxFor('bank-a-csirt');
		await own.goto(`${URL}/reports/${r.body.id}`);
		await waitView(own, 'report-detail');
		assert(await own.isVisible('.tlp-banner.tlp-amber_strict'), 'the employee cannot read it');
	});

	await run.test('admin: users, tokens and notification channels of the organisation', async () => {
		const page = S.op;
		await page.goto(`${URL}/admin`);
		await waitView(page, 'admin');
		await page.waitForSelector('#users-table tr[data-login="bank-a-contractor"]');
		await page.click('#admin-channels details summary');
		await page.fill('#fld-target', 'soc@minato-bank.example');
		await page.click('#chan-create button[type="submit"]');
		await page.waitForSelector('#channels-table td:has-text("soc@minato-bank.example")');
		await page.click('#admin-tokens button[type="submit"]');
		await page.waitForSelector('#new-token');
		assert((await page.inputValue('#new-token')).startsWith('cst_'), 'token not shown');
		await page.locator('#admin-users').scrollIntoViewIfNeeded();
		await shot(page, '13-admin');
	});

	await run.test('keyboard: the TLP choice is reachable and focus is visible; every control is labelled', async () => {
		const page = S.op;
		await page.goto(`${URL}/reports/new`);
		await waitView(page, 'report-new');
		await page.focus('#fld-form-tlp_special_notes');
		await page.keyboard.press('Shift+Tab');
		const focused = await page.evaluate(() => document.activeElement.id);
		assert(focused.startsWith('fld-form-tlp-'), `Shift+Tab landed on ${focused}`);
		await page.keyboard.press('ArrowDown');
		const checkedId = await page.evaluate(() => document.querySelector('input[name="fld-form-tlp"]:checked')?.id);
		assert(checkedId && checkedId.startsWith('fld-form-tlp-'), 'arrow keys do not choose a TLP');
		const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
		assert(outline !== 'none', 'focus outline not visible');
		const unlabelled = async () => page.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea')]
		    .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
		    .map(el => el.id || el.name));
		let bad = await unlabelled();
		assert(!bad.length, `unlabelled on the report form: ${bad.join(', ')}`);
		await S.nisc.goto(`${URL}/advisories/new`);
		await waitView(S.nisc, 'advisory-new');
		bad = await S.nisc.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea')]
		    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')).map(el => el.id));
		assert(!bad.length, `unlabelled on the advisory form: ${bad.join(', ')}`);
		await shot(S.nisc, '15-advisory-compose');
	});

	await run.test('service-maintenance level: a power company fills ⑥ and sees the evaluation against 別紙２', async () => {
		const { page } = await ctxFor('power-a-csirt');
		await page.goto(`${URL}/reports/new`);
		await waitView(page, 'report-new');
		assert(await page.inputValue('#fld-form-sector') === 'electricity', 'sector not prefilled');
		// Only the sector's own services are offered.
		const opts = await page.locator('#fld-form-impact-service option').allTextContents();
		assert(opts.some(o => o.includes('一般送配電事業')) && !opts.some(o => o.includes('電気通信役務')), `services offered: ${opts.join(' / ')}`);
		await page.check('#fld-route-direct');
		await page.check('#fld-legal_duty-yes');
		await page.check('#fld-form-tlp-amber');
		await page.check('#fld-form-has_attachment-no');
		await page.check('#fld-form-impact-service_level_deviation-no');
		await page.selectOption('#fld-form-impact-service', 'electricity.g01.s01');
		await page.fill('#fld-form-impact-disrupted_supply_kw', 'lots');
		await page.click('#submit');
		await page.waitForSelector('#fld-form-impact-disrupted_supply_kw-err:not([hidden])');
		// Full-width digits with a separator, as a Japanese IME types them.
		await page.fill('#fld-form-impact-disrupted_supply_kw', '１２０，０００');
		await page.fill('#fld-form-impact-started_at', '2026-11-21 10:00');
		await page.fill('#fld-form-impact-ended_at', '2026-11-21 10:30');
		await page.click('#submit');
		await page.click('#confirm-send-confirm');
		await waitView(page, 'report-detail');
		// 120,000 kW for 30 minutes: at or above 100,000 kW for 10 minutes.
		await page.waitForSelector('#service-level[data-evaluated="deviation"]');
		const panel = await text(page, '#service-level');
		assert(panel.includes('逸脱あり') && panel.includes('一致しません'), `service level panel: ${panel}`);
		assert(panel.includes('10万キロワット以上'), 'the level text is not shown');
		await shot(page, '16-service-level');
		S.powerReport = Number(/\/reports\/(\d+)$/.exec(page.url())[1]);
	});

	await run.test('impact forecast: NISC sees the sectors a power outage may reach and adds them as advisory recipients', async () => {
		const { page: meti } = await ctxFor('meti-liaison');
		await meti.goto(`${URL}/reports/${S.powerReport}`);
		await waitView(meti, 'report-detail');
		assert(!(await meti.isVisible('#cascade')), 'the ministry sees NISC\'s forecast');
		await meti.click('#act-forward');
		await meti.click('#forward-dlg-confirm');
		await meti.waitForSelector('ol.route li.current[data-step="nisc"]');
		const page = S.nisc;
		await page.goto(`${URL}/reports/${S.powerReport}`);
		await waitView(page, 'report-detail');
		await page.waitForSelector('#cascade li[data-sector="finance"]');
		assert((await page.locator('#cascade li').count()) === 14, 'a power outage should reach the 14 other sectors');
		assert((await text(page, '#cascade li[data-sector="finance"]')).includes('停電'), 'no reason shown');
		await page.goto(`${URL}/advisories/new`);
		await waitView(page, 'advisory-new');
		await page.check(`#rel-${S.powerReport}`);
		await page.waitForSelector('#cascade-add');
		await page.click('#cascade-add');
		await page.waitForFunction(() => document.querySelectorAll('[id^="fld-form-recipients-"][id$="-sector"]').length >= 14);
		await shot(page, '18-cascade-recipients');
		// Leave the compose screen without sending: no draft remains for the next tests.
		await page.evaluate(() => localStorage.clear());
	});

	await run.test('large-scale mode: a NISC approver declares it, CAS reads the power report and files an update, the banner shows everywhere, then it ends', async () => {
		const { page: appr } = await ctxFor('nisc-approver');
		await appr.click('a[data-nav="situation"]');
		await waitView(appr, 'situation');
		await appr.click('#mode-declare');
		await appr.selectOption('#mode-cause', 'cyber');
		await appr.check('#mode-s-electricity');
		await appr.click('#mode-dlg-confirm');
		await appr.waitForSelector('#mode-state.on');
		await appr.waitForSelector('#mode-banner:not([hidden])');
		assert((await text(appr, '#mode-banner')).includes('大規模サイバー攻撃'), 'banner text');
		const { page: cas } = await ctxFor('cas-officer');
		await cas.goto(`${URL}/reports/${S.powerReport}`);
		await waitView(cas, 'report-detail');
		assert(await cas.isVisible('#mode-banner'), 'no banner for CAS');
		await cas.click('a[data-nav="situation"]');
		await waitView(cas, 'situation');
		await cas.selectOption('#sit-kind', 'damage');
		await cas.fill('#sit-text', '首都圏で大規模停電。鉄道・通信に影響');
		await cas.check('#sit-d-electricity\\.g01\\.s01');
		await cas.fill('#sit-estimate', '本日18時ごろ');
		await cas.click('#sit-submit');
		await cas.waitForSelector('.sit-sector[data-sector="electricity"] .sit-updates li');
		const card = await text(cas, '.sit-sector[data-sector="electricity"]');
		assert(card.includes('本日18時ごろ') && card.includes('一般送配電事業'), `board: ${card}`);
		assert((await cas.locator('.sit-sector[data-sector="electricity"] a.chip').count()) >= 1, 'the power report is not on the board');
		await shot(cas, '19-situation-board');
		// An operator has no situation page.
		assert(!(await S.op.isVisible('a[data-nav="situation"]')), 'an operator sees the situation page');
		await appr.click('#mode-end');
		await appr.click('#mode-end-dlg-confirm');
		await appr.waitForSelector('#mode-history li');
		await appr.waitForSelector('#mode-banner', { state: 'hidden' });
	});

	await run.test('observables: the report page\'s 関連する情報 panel, NISC\'s 複数分野で観測された指標 page and look-up', async () => {
		const page = S.nisc;
		await page.goto(`${URL}/reports/${S.powerReport}`);
		await waitView(page, 'report-detail');
		await page.waitForSelector('#correlations-body p, #correlations-body ul');
		assert((await text(page, '#correlations h2')).includes('関連する情報'), 'no related-information panel');
		await page.click('a[data-nav="correlations"]');
		await waitView(page, 'correlations');
		await page.waitForSelector('#corr-out p, #corr-table');
		await page.fill('#corr-min', '1');
		await page.fill('#corr-days', '30');
		await page.click('#corr-show');
		await page.waitForSelector('#corr-out p, #corr-table');
		// A defanged, full-width address is looked up in its normal form.
		await page.fill('#obs-value', '２０３［．］０．１１３．５０');
		await page.click('#obs-lookup');
		await page.waitForSelector('#obs-out code');
		assert((await text(page, '#obs-out code')) === '203.0.113.50', `normalised to ${await text(page, '#obs-out code')}`);
		await page.fill('#obs-value', 'report.pdf');
		await page.click('#obs-lookup');
		await page.waitForSelector('#obs-err:not([hidden])');
		await shot(page, '19b-correlations');
		const { page: meti } = await ctxFor('meti-liaison');
		await meti.goto(`${URL}/inbox`);
		await waitView(meti, 'inbox');
		assert(!(await meti.isVisible('a[data-nav="correlations"]')), 'a ministry is offered NISC\'s queue');
	});

	await run.test('CSV download on the report and advisory lists (BOM, Japanese headers, the filters)', async () => {
		const page = S.nisc;
		const fs = await import('node:fs/promises');
		for (const [kind, id] of [['reports', S.reportId], ['advisories', S.advId]]) {
			await page.goto(`${URL}/${kind}`);
			await waitView(page, kind);
			assert((await text(page, `#${kind}-csv`)).trim() === 'CSVでダウンロード', `${kind}: link text`);
			const href = await page.getAttribute(`#${kind}-csv`, 'href');
			assert(href.startsWith(`/api/v1/${kind}.csv?`) && href.includes('bom=1') && href.includes('lang=ja'), `${kind}: link ${href}`);
			const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#${kind}-csv`)]);
			const csv = await fs.readFile(await dl.path(), 'utf8');
			assert(csv.startsWith('\ufeffID,識別番号,状態'), `${kind}: CSV head ${csv.slice(0, 40)}`);
			assert(csv.includes(`\r\n${id},`), `${kind}: item ${id} not in the CSV`);
		}
		await page.goto(`${URL}/reports?sector=finance&tlp=amber`);
		await waitView(page, 'reports');
		const href = await page.getAttribute('#reports-csv', 'href');
		assert(href.includes('sector=finance') && href.includes('tlp=amber'), `the filters are not carried: ${href}`);
		await page.click('#lang-toggle');
		await page.waitForFunction(() => document.documentElement.lang === 'en');
		await waitView(page, 'reports');
		assert((await text(page, '#reports-csv')).trim() === 'Download CSV', 'English link text');
		assert((await page.getAttribute('#reports-csv', 'href')).includes('lang=en'), 'English headers not asked for');
		await page.click('#lang-toggle');
		await page.waitForFunction(() => document.documentElement.lang === 'ja');
	});

	await run.test('statistics: NISC counts by sector and event, downloads CSV; the public page needs no login', async () => {
		const page = S.nisc;
		await page.click('a[data-nav="stats"]');
		await waitView(page, 'stats');
		await page.waitForSelector('#stats-table tbody tr');
		// The NISC dashboard: this fiscal year's figures and the months as a chart.
		assert((await text(page, '#stats-dashboard h2')).includes('NISC ダッシュボード'), 'no NISC dashboard');
		assert((await page.locator('#stats-month-chart rect.chart-bar').count()) >= 1, 'no month bars');
		assert(/分|時間|日/.test(await text(page, '#kpi-to-r .kpi-value')), `time to the R-number: ${await text(page, '#kpi-to-r')}`);
		assert((await page.locator('#stats-sector-chart tr[data-sector="finance"]').count()) === 1, 'no finance bar');
		await shot(page, '17b-nisc-dashboard');
		const { page: fsa } = await ctxFor('fsa-liaison');
		await fsa.goto(`${URL}/stats`);
		await waitView(fsa, 'stats');
		await fsa.waitForSelector('#stats-dashboard');
		assert((await text(fsa, '#stats-dashboard h2')).includes('所管省庁ダッシュボード'), 'no ministry dashboard');
		const rows = await page.locator('#stats-table tbody tr').allTextContents();
		assert(rows.some(r => r.includes('金融') && r.includes('マルウェア')), `no 金融 × マルウェア row: ${rows.join(' | ')}`);
		// NISC sees how many organisations each cell holds.
		assert(await page.isVisible('#stats-table th:has-text("報告元数")'), 'NISC has no source counts');
		await page.uncheck('#stats-g-event_type');
		await page.check('#stats-g-fiscal_year');
		await page.click('#stats-show');
		await page.waitForFunction(() => document.querySelector('#stats-table thead')?.textContent.includes('年度'));
		const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#stats-csv')]);
		const csv = await (await import('node:fs/promises')).readFile(await dl.path(), 'utf8');
		assert(csv.startsWith('\ufeff分野,年度,件数'), `CSV head: ${csv.slice(0, 40)}`);
		assert(/金融,FY\d{4},\d+/.test(csv), `CSV rows: ${csv}`);
		await shot(page, '17-stats');
		// The public page, from the login page, without a session.
		const context = await newContext(browser);
		contexts.push(context);
		const pub = await context.newPage();
		await pub.goto(`${URL}/login`);
		await waitView(pub, 'login');
		await pub.click('#public-stats-link');
		await waitView(pub, 'public-stats');
		await pub.waitForSelector('#stats-out p');
		assert(!(await pub.isVisible('#stats-err')), 'the public statistics failed');
	});

	await run.test('CEPTOAR council: a member posts to another, NISC reads it only once the author shares it', async () => {
		const power = USERS['power-ceptoar-poc'].org, rail = USERS['rail-ceptoar-poc'].org;
		for (const org of [ORG.bankCeptoar, power, rail])
			assert((await apiAs('admin', 'PATCH', `/orgs/${org}`, { council_member: true })).status === 200, 'membership');
		const { page } = await ctxFor('bank-ceptoar-poc');
		await page.click('a[data-nav="council"]');
		await waitView(page, 'council');
		await page.fill('#council-text', '停電時の連絡網の確認をお願いします');
		await page.uncheck('#council-all');
		await page.check(`#council-to-${power}`);
		await page.click('#council-submit');
		await page.waitForSelector('#council-posts li');
		const id = await page.getAttribute('#council-posts li', 'data-id');
		// NISC reads nothing yet; the rail CEPTOAR, not addressed, neither.
		assert((await apiAs('nisc-analyst', 'GET', `/council/posts/${id}`)).status === 404, 'NISC reads an unshared post');
		assert((await apiAs('rail-ceptoar-poc', 'GET', `/council/posts/${id}`)).status === 404, 'an unaddressed member reads it');
		assert((await apiAs('power-ceptoar-poc', 'GET', `/council/posts/${id}`)).status === 200, 'the addressee cannot read it');
		await page.click(`button[data-share="${id}"]`);
		await page.check(`#council-share-to-${USERS['nisc-analyst'].org}`);
		await page.click('#council-share-dlg-confirm');
		await page.waitForSelector('#council-posts li .small.muted:has-text("共有先")');
		await shot(page, '20-council');
		const nisc = S.nisc;
		await nisc.goto(`${URL}/council`);
		await waitView(nisc, 'council');
		assert((await text(nisc, '#council-posts')).includes('停電時の連絡網'), 'NISC does not see the shared post');
		assert(!(await nisc.isVisible('#council-form')), 'NISC may not post to the council');
	});

	await run.test('CEPTOAR drill: NISC runs a relay drill and reads who never acknowledged; members find it under 訓練, not in their inbox', async () => {
		const page = S.nisc;
		await page.click('a[data-nav="drills"]');
		await waitView(page, 'drills');
		await page.fill('#drill-name', '銀行等セプター 伝達訓練');
		await page.fill('#drill-scenario', 'ランサムウェア注意喚起の伝達');
		await page.check(`#drill-targets-${ORG.bankCeptoar}`);
		await page.click('#drill-submit');
		await page.waitForSelector('#drill-list li');
		const drill = Number(await page.getAttribute('#drill-list li', 'data-id'));
		const form = { tlp: 'amber', has_attachment: 'no', importance: 'caution', recipients: [{ ministry: ORG.fsa, sector: 'finance' }],
			threat_content: { summary: '【訓練】ランサムウェアに関する注意喚起', target: '銀行' }, countermeasures: 'バックアップの確認' };
		const adv = await apiAs('nisc-analyst', 'POST', '/advisories', { form, drill });
		assert(adv.status === 201, `drill advisory: ${adv.status}`);
		const id = adv.body.id;
		assert((await apiAs('fsa-liaison', 'POST', `/advisories/${id}/relay`, { to: [ORG.bankCeptoar] })).status === 200, 'ministry relay');
		// Bank A, on another page with its live stream open: a drill delivery never bumps the badge.
		await S.op.goto(`${URL}/reports`);
		await waitView(S.op, 'reports');
		await S.op.waitForFunction(() => document.documentElement.dataset.live === 'open');
		const badge0 = await S.op.textContent('#unread-badge');
		assert((await apiAs('bank-ceptoar-poc', 'POST', `/advisories/${id}/relay`, { to: [ORG.bankA, ORG.bankB] })).status === 200, 'CEPTOAR relay');
		await S.op.waitForSelector('.toast:has-text("【訓練】")');
		assert((await S.op.textContent('#unread-badge')) === badge0, `the badge moved for a drill: ${badge0} → ${await S.op.textContent('#unread-badge')}`);
		assert((await apiAs('bank-ceptoar-poc', 'POST', `/advisories/${id}/ack`, {})).status === 200, 'CEPTOAR ack');
		// Bank A finds it under 訓練 (not in the production inbox) and acknowledges; bank B stays silent.
		const op = S.op;
		await op.goto(`${URL}/inbox`);
		await waitView(op, 'inbox');
		await op.waitForSelector('#inbox-count');
		assert(!(await op.isVisible(`#inbox-rows tr[data-id="${id}"]`)), 'the drill advisory is in the production inbox');
		await op.check('#inbox-filter-drill');
		await op.waitForSelector(`#inbox-rows tr[data-id="${id}"]`);
		await op.goto(`${URL}/advisories/${id}`);
		await waitView(op, 'advisory-detail');
		assert((await text(op, '#drill-banner')).includes('訓練'), 'no drill banner');
		assert((await apiAs('bank-a-csirt', 'POST', `/advisories/${id}/ack`, {})).status === 200, 'bank A ack');
		await page.goto(`${URL}/drills`);
		await waitView(page, 'drills');
		await page.click(`#drill-list li[data-id="${drill}"] button`);
		await page.waitForSelector('#drill-report');
		const silent = await text(page, '#drill-silent');
		assert(silent.includes('さくら信用金庫') && !silent.includes('みなと銀行'), `no response: ${silent}`);
		assert((await text(page, `#drill-ceptoars-${id} tr[data-ceptoar="${ORG.bankCeptoar}"]`)).includes('50%'), 'CEPTOAR completion');
		const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#drill-csv')]);
		const csv = await (await import('node:fs/promises')).readFile(await dl.path(), 'utf8');
		assert(csv.startsWith('\ufeffadvisory,org,org_type') && csv.includes('さくら信用金庫'), `drill CSV: ${csv.slice(0, 80)}`);
		await shot(page, '21-drill-report');
	});

	await run.test('Cross-sector exercise: NISC writes and starts a scenario at ×60, an operator answers and logs an issue, the after-action report shows both', async () => {
		const page = S.nisc;
		await page.click('a[data-nav="exercises"]');
		await waitView(page, 'exercises');
		await page.fill('#ex-name', '分野横断的演習（ブラウザ）');
		await page.check(`#ex-participants-${ORG.bankA}`);
		await page.click('#ex-submit');
		await page.waitForSelector('#ex-facilitator');
		const id = await page.getAttribute('#ex-facilitator', 'data-id');
		await page.selectOption('#ex-speed', '60');
		await page.click('#ex-start');
		await page.waitForSelector('#ex-after-action');
		const op = S.op;
		await op.goto(`${URL}/exercises?id=${id}`);
		await waitView(op, 'exercises');
		await op.waitForSelector('#ex-participant li[data-inject="1"]');
		assert((await text(op, '#ex-participant')).includes('不審メール'), 'the released inject is not shown');
		assert(!(await op.isVisible('#ex-form')), 'a participant may not create exercises');
		await op.fill('#ex-answer-1', '第1報を作成し所管省庁へ送信した');
		const [ans] = await Promise.all([op.waitForResponse(r => r.url().endsWith(`/exercises/${id}/injects/1/responses`)), op.click('#ex-answer-send-1')]);
		assert(ans.status() === 201, `answer: ${ans.status()}`);
		await op.waitForSelector('#ex-issue');
		await op.fill('#ex-issue', '夜間の連絡先が古かった');
		const [iss] = await Promise.all([op.waitForResponse(r => r.url().endsWith(`/exercises/${id}/issues`)), op.click('#ex-issue-send')]);
		assert(iss.status() === 201, `issue: ${iss.status()}`);
		await page.goto(`${URL}/exercises?id=${id}`);
		await waitView(page, 'exercises');
		const row = await text(page, `#ex-after-action tr[data-org="${ORG.bankA}"]`);
		assert(row.includes('#1') && row.includes('夜間の連絡先が古かった'), `after-action: ${row}`);
		await shot(page, '22-exercise');
	});

	await run.test('浸透状況調査: NISC opens a campaign, the operator autosaves a draft and submits, reads its gaps and prints; FSA sees progress and the suppressed aggregate', async () => {
		const page = S.nisc;
		await page.click('a[data-nav="surveys"]');
		await waitView(page, 'surveys');
		await page.fill('#sv-fy', '2026');
		await page.check('#sv-sectors input[value="finance"]');
		await page.check('#sv-sectors input[value="electricity"]');
		await page.selectOption('#sv-edition', '2023');
		const [opened] = await Promise.all([page.waitForResponse(r => r.url().endsWith('/api/v1/surveys') && r.request().method() === 'POST'), page.click('#sv-open-submit')]);
		assert(opened.status() === 201, `open: ${opened.status()}`);
		const id = (await opened.json()).id;
		await page.waitForSelector(`#sv-list tr[data-id="${id}"]`);
		// the operator: one answer autosaved, the rest through the API, then submitted in the UI
		const op = S.op;
		await op.goto(`${URL}/surveys/${id}`);
		await waitView(op, 'surveys');
		await op.waitForSelector('#sv-answer-form');
		const items = await op.locator('#sv-answer-form .sv-item').count();
		assert(items === 77, `items in the form: ${items}`);
		const [saved] = await Promise.all([op.waitForResponse(r => r.url().endsWith(`/surveys/${id}/answers`)),
		    op.selectOption('#sv-st-shishin2023-2-1', 'partial')]);
		assert(saved.status() === 200, `autosave: ${saved.status()}`);
		await op.waitForFunction(() => document.querySelector('#sv-save-status')?.textContent.includes('1/77'));
		// not applicable without a reason: refused, the row marked, nothing saved
		const [na] = await Promise.all([op.waitForResponse(r => r.url().endsWith(`/surveys/${id}/answers`)),
		    op.selectOption('#sv-st-shishin2023-2-2', 'not_applicable')]);
		assert(na.status() === 400, `not applicable without reason: ${na.status()}`);
		await op.waitForSelector('.sv-item.sv-invalid[data-control="shishin2023:2.2"]');
		const cat = (await apiAs('bank-a-csirt', 'GET', '/controls?edition=2023')).body;
		const all = {};
		cat.items.forEach((c, i) => { all[c.id] = { status: ['implemented', 'partial', 'not_implemented', 'planned'][i % 4], note: `規程 ${i}`, owner: 'CISO室' }; });
		delete all['shishin2023:2.1'];
		const put = await apiAs('bank-a-csirt', 'PUT', `/surveys/${id}/answers`, { items: all });
		assert(put.status === 200, `answers: ${put.status}`);
		await op.reload();
		await op.waitForSelector('#sv-submit');
		assert(await op.inputValue('#sv-st-shishin2023-2-1') === 'partial', 'the autosaved draft answer is kept');
		const [sub] = await Promise.all([op.waitForResponse(r => r.url().endsWith(`/surveys/${id}/submit`)), op.click('#sv-submit')]);
		assert(sub.status() === 200, `submit: ${sub.status()}`);
		await op.waitForFunction(() => document.querySelector('#sv-mine-state')?.textContent === '提出済み');
		assert(await op.isDisabled('#sv-st-shishin2023-2-1'), 'a submitted form is locked');
		await op.click('#sv-results-link');
		await op.waitForSelector('#sv-gaps tbody tr');
		const cats = await op.locator('#sv-categories tbody tr').evaluateAll(rs => rs.map(r => r.dataset.category));
		assert(cats.join(',') === 'general,organisational_governance,risk_management,crisis_management,security_measures', `categories: ${cats}`);
		assert((await text(op, '#sv-gaps tbody tr')).startsWith('1'), 'gap ranks');
		assert(await op.locator('#sv-categories .sv-bar').count() >= 5, 'no score bars');
		await op.emulateMedia({ media: 'print' });
		assert(!(await op.isVisible('#sv-print')) && await op.isVisible('#sv-gaps'), 'the printed report hides its buttons, keeps the gaps');
		await op.emulateMedia({ media: 'screen' });
		await shot(op, '23-survey-results');
		// FSA: progress in its sector only, never answers; the aggregate below k suppressed
		const { page: fsa } = await ctxFor('fsa-liaison');
		await fsa.goto(`${URL}/surveys/${id}/progress`);
		await waitView(fsa, 'surveys');
		await fsa.waitForSelector('#sv-progress-sectors tbody tr');
		const secs = await fsa.locator('#sv-progress-sectors tbody tr').evaluateAll(rs => rs.map(r => r.dataset.sector));
		assert(secs.join(',') === 'finance', `FSA's sectors: ${secs}`);
		assert((await text(fsa, `#sv-progress-orgs tr[data-org="${ORG.bankA}"]`)).includes('提出済み'), 'bank A submitted');
		assert(!(await fsa.locator('#sv-progress-orgs').innerText()).includes('規程'), 'an answer leaked into the progress');
		await fsa.goto(`${URL}/surveys/${id}/results`);
		await waitView(fsa, 'surveys');
		await fsa.waitForSelector('#sv-sectors .sv-sector[data-sector="finance"]');
		assert((await text(fsa, '#sv-sectors .sv-sector[data-sector="finance"]')).includes('秘匿'), 'finance (1 respondent) is not suppressed');
		// two more finance operators submit (set up through the API): at k = 3 the sector is shown with its chart
		const call = async (token, method, path, body) => {
			const r = await fetch(`${URL}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			    body: body === undefined ? undefined : JSON.stringify(body) });
			const b = await r.text();
			return { status: r.status, body: b ? JSON.parse(b) : null };
		};
		for (let n = 1; n <= 2; n++) {
			const org = await call(USERS.admin.token, 'POST', '/orgs', { name: `調査用銀行${n}`, type: 'ci_operator', sectors: ['finance'] });
			assert(org.status === 201, `org: ${org.status}`);
			const user = await call(USERS.admin.token, 'POST', '/users', { org: org.body.id, login: `survey-bank-${n}`, display_name: `調査 ${n}`, roles: ['org_admin'] });
			assert(user.status === 201, `user: ${user.status}`);
			const tok = (await call(USERS.admin.token, 'POST', `/users/${user.body.id}/tokens`, { label: 'survey' })).body.token;
			const mine = {};
			cat.items.forEach((c, i) => { mine[c.id] = { status: ['implemented', 'not_implemented'][(i + n) % 2] }; });
			assert((await call(tok, 'PUT', `/surveys/${id}/answers`, { items: mine })).status === 200, 'answers');
			assert((await call(tok, 'POST', `/surveys/${id}/submit`)).status === 200, 'submit');
		}
		await fsa.reload();
		await fsa.waitForSelector('#sv-sectors .sv-sector[data-sector="finance"] svg.sv-dist');
		assert((await text(fsa, '#sv-sectors .sv-sector[data-sector="finance"]')).includes('提出 3 者'), 'finance respondents');
		assert(await fsa.locator('#sv-sectors .sv-sector[data-sector="finance"] svg.sv-dist rect').count() === 5, 'five distribution bars');
		assert(await fsa.locator('#sv-top li').count() > 0, 'no items most often not implemented');
		await shot(fsa, '24-survey-ministry');
	});

	await run.test('Risk workspace: the operator registers risks on its matrix (a bad control id names the field), the heat map and the plan follow, checklists turn gaps into the plan; the ministry reads it only once shared', async () => {
		const page = S.op;
		await page.goto(`${URL}/inbox`);
		await waitView(page, 'inbox');
		await page.click('a[data-nav="risks"]');
		await waitView(page, 'risks');
		assert((await text(page, 'main h1')).includes('リスク管理'), 'the page title');
		// The CISO's one page: the survey's gaps beside the risks and the plan.
		assert((await text(page, '#risk-survey-gaps h2')).includes('指針に対するギャップ'), 'no survey gaps panel');
		assert(await page.isVisible('#risk-survey-link') || await page.isVisible('#risk-survey-gaps p.muted'), 'the gaps panel is empty');
		assert(await page.locator('#risk-heatmap tbody tr').count() === 5, 'a 5×5 heat map by default');
		await page.fill('#risk-title', 'ネットバンキングへのDDoS');
		await page.fill('#risk-event', '大量アクセスによる停止');
		await page.selectOption('#risk-service', 'finance.g01.s01');
		await page.selectOption('#risk-likelihood', '4');
		await page.selectOption('#risk-impact', '5');
		await page.selectOption('#risk-treatment', 'reduce');
		await page.selectOption('#risk-viewpoint', 'iv');
		await page.fill('#risk-controls', 'shishin2023:99.99');
		await page.click('#risk-save');
		await page.waitForFunction(() => !document.querySelector('#risk-err')?.hidden);
		assert((await text(page, '#risk-err')).startsWith('controls.0'), `error: ${await text(page, '#risk-err')}`);
		await page.fill('#risk-controls', 'shishin2023:4.3.1');
		const [cr] = await Promise.all([page.waitForResponse(r => r.url().endsWith('/api/v1/risks') && r.request().method() === 'POST'), page.click('#risk-save')]);
		assert(cr.status() === 201, `create: ${cr.status()}`);
		const id = (await cr.json()).id;
		await page.waitForSelector(`#risk-register tr[data-id="${id}"]`);
		const row = await text(page, `#risk-register tr[data-id="${id}"]`);
		assert(row.includes('4×5') && row.includes('20') && row.includes('重大'), `register row: ${row}`);
		assert((await text(page, '#risk-heatmap td[data-l="4"][data-i="5"]')) === '1', 'the heat map cell 4×5');
		assert(await page.getAttribute('#risk-heatmap td[data-l="4"][data-i="5"]', 'data-band') === 'critical', 'the cell band');
		await page.selectOption('#risk-viewpoints-iv', 'gap');
		await page.selectOption('#risk-readiness-cp', 'gap');
		await page.fill('#risk-readiness-cp-note', '初動手順書なし');
		const [ck] = await Promise.all([page.waitForResponse(r => r.url().endsWith('/risks/checklists')), page.click('#risk-checks-save')]);
		assert(ck.status() === 200, `checklists: ${ck.status()}`);
		await page.waitForSelector('#risk-plan tr[data-item="cp"]');
		const order = await page.locator('#risk-plan tbody tr').evaluateAll(rs => rs.map(r => r.dataset.item));
		assert(order.join(',') === `${id},iv,cp`, `plan order: ${order}`);
		const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#risk-csv')]);
		const csv = await (await import('node:fs/promises')).readFile(await dl.path(), 'utf8');
		assert(csv.startsWith('ID,リスク名') && csv.includes('ネットバンキングへのDDoS'), `CSV: ${csv.slice(0, 80)}`);
		await shot(page, '23-risks');
		const { page: fsa } = await ctxFor('fsa-liaison');
		await fsa.goto(`${URL}/risks`);
		await waitView(fsa, 'risks');
		await fsa.waitForSelector('#risk-shared-none');
		const st = await fsa.evaluate(async (o) => (await fetch(`/api/v1/risks?org=${o}`)).status, ORG.bankA);
		assert(st === 404, `the ministry before sharing: ${st}`);
		await page.check(`#risk-share-${ORG.fsa}`);
		const [sh] = await Promise.all([page.waitForResponse(r => r.url().endsWith('/risks/sharing')), page.click('#risk-share-save')]);
		assert(sh.status() === 200, `share: ${sh.status()}`);
		await fsa.goto(`${URL}/risks`);
		await waitView(fsa, 'risks');
		await fsa.click(`#risk-shared li[data-org="${ORG.bankA}"] a`);
		await fsa.waitForSelector('#risk-readonly');
		assert(await fsa.locator(`#risk-register tr[data-id="${id}"]`).count() === 1, 'the ministry reads the shared register');
		assert(!(await fsa.isVisible('#risk-form')), 'the ministry is offered the risk form');
		await fsa.click('#lang-toggle');
		await fsa.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('Risk management'));
		assert((await text(fsa, '#risk-plan-panel h2')) === 'Improvement plan', 'English headings');
		await fsa.click('#lang-toggle');
	});

	await run.test('別紙・検体: choosing a file ticks 別紙有無; the source attaches, the CEPTOAR keeps it in the forward, NISC verifies its SHA-256 and asks for a 検体, the CEPTOAR answers with a file', async () => {
		const op = S.op;
		// the report form: a chosen file sets 別紙有無 to 有
		await op.goto(`${URL}/reports/new`);
		await waitView(op, 'report-new');
		await op.check('#fld-form-has_attachment-no');
		await op.setInputFiles('#report-files', { name: 'ログ.txt', mimeType: 'text/plain', buffer: Buffer.from('log line\n') });
		assert(await op.isChecked('#fld-form-has_attachment-yes'), '別紙有無 did not follow the chosen file');
		assert((await text(op, '#report-files-list')).includes('ログ.txt'), 'the chosen file is not listed');
		// an anonymised report; the source attaches a file on its detail page
		const form = { tlp: 'amber', sector: 'finance', has_attachment: 'yes', event_type: 'event_malware_infection', importance: 'caution',
			cause_types: ['cause_suspicious_email_received'], overview: { discovered_at: '2026-12-02T09:00:00+09:00', event_summary: '別紙・検体の確認用' } };
		const r = await apiAs('bank-a-csirt', 'POST', '/reports', { route: 'via_ceptoar', legal_duty: false, form });
		assert(r.status === 201, `file: ${r.status}`);
		const id = r.body.id;
		await op.goto(`${URL}/reports/${id}`);
		await waitView(op, 'report-detail');
		assert((await text(op, '#attachments-none')).includes('別紙はありません'), 'no empty note');
		await op.click('#act-attach');
		const content = 'マルウェア検知ログ 2026-12-02\n';
		await op.setInputFiles('#attach-file', { name: '検知ログ.txt', mimeType: 'text/plain', buffer: Buffer.from(content) });
		await op.click('#attach-dlg-confirm');
		await op.waitForSelector('#attachments li.attachment');
		assert((await text(op, '#attachments')).includes('封緘'), 'the source file is not marked sealed');
		// the CEPTOAR forwards, keeping it
		const { page: cep } = await ctxFor('bank-ceptoar-poc');
		await cep.goto(`${URL}/reports/${id}`);
		await waitView(cep, 'report-detail');
		await cep.click('#act-forward');
		await cep.waitForSelector('#forward-attachments input[type="checkbox"]');
		assert((await text(cep, '#forward-attachments')).includes('検知ログ.txt'), 'the forward does not offer the file');
		await cep.check('#forward-attachments input[type="checkbox"]');
		if (await cep.isVisible('#forward-anon-confirm'))
			await cep.check('#forward-anon-confirm');
		const [fw] = await Promise.all([cep.waitForResponse(x => x.url().endsWith(`/reports/${id}/forward`) && x.request().method() === 'POST'), cep.click('#forward-dlg-confirm')]);
		assert(fw.status() === 200, `forward: ${fw.status()}`);
		assert((await apiAs('fsa-liaison', 'POST', `/reports/${id}/forward`, {})).status === 200, 'ministry forward');
		// NISC: the kept copy with its SHA-256; the download matches
		const nisc = S.nisc;
		await nisc.goto(`${URL}/reports/${id}`);
		await waitView(nisc, 'report-detail');
		const sha = (await text(nisc, '#attachments code.sha256')).trim();
		const want = (await import('node:crypto')).createHash('sha256').update(Buffer.from(content)).digest('hex');
		assert(sha === want, `SHA-256 shown ${sha}, want ${want}`);
		const dl = await nisc.evaluate(async u => { const x = await fetch(u); return { st: x.status, cd: x.headers.get('content-disposition'), ns: x.headers.get('x-content-type-options'), body: await x.text() }; },
		    await nisc.getAttribute('#attachments a.attachment-name', 'href'));
		assert(dl.st === 200 && dl.body === content && dl.ns === 'nosniff' && dl.cd.includes("filename*=UTF-8''"), `download: ${JSON.stringify(dl).slice(0, 200)}`);
		// NISC asks for a sample
		await nisc.click('#act-sample-request');
		await nisc.fill('#sample-what', '検知した実行ファイル');
		await nisc.fill('#sample-reason', '亜種の判定のため');
		await nisc.click('#sample-dlg-confirm');
		await nisc.waitForSelector('#samples li.sample[data-state="open"]');
		// the CEPTOAR (for the anonymised source) answers with an upload
		await cep.goto(`${URL}/reports/${id}`);
		await waitView(cep, 'report-detail');
		await cep.waitForSelector('#samples li.sample[data-state="open"]');
		await cep.click('#samples button[id^="sample-answer-"]');
		await cep.setInputFiles('#sample-file', { name: 'sample.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ sample') });
		await cep.click('#sample-answer-dlg-confirm');
		await cep.waitForSelector('#samples li.sample[data-state="answered"]');
		await nisc.goto(`${URL}/reports/${id}`);
		await waitView(nisc, 'report-detail');
		await nisc.waitForSelector('#samples li.sample[data-state="answered"]');
		assert((await text(nisc, '#attachments')).includes('sample.bin'), 'NISC does not see the sample');
		assert((await text(nisc, '#samples')).includes('提供済み'), 'the answer is not shown');
		await nisc.locator('#samples').scrollIntoViewIfNeeded();
		await shot(nisc, '23-attachments-samples');
		// the bank's other operator never sees it
		const other = await apiAs('bank-b-csirt', 'GET', `/attachments/${(await apiAs('nisc-analyst', 'GET', `/reports/${id}`)).body.attachments[0].id}`);
		assert(other.status === 404, `another bank: ${other.status}`);
	});

	await run.test('tasks: one to-do count per user on the badge; the ministry forwards from it; NISC marks a received report 担当 then 処理済', async () => {
		const form = { tlp: 'amber', sector: 'finance', has_attachment: 'no', event_type: 'event_malware_infection', importance: 'caution',
			cause_types: ['cause_suspicious_email_received'], overview: { discovered_at: '2026-12-02T09:00:00+09:00', event_summary: 'やることの確認用' } };
		const r = await apiAs('bank-b-csirt', 'POST', '/reports', { route: 'direct', legal_duty: false, form });
		assert(r.status === 201, `file: ${r.status}`);
		const fsa = S.fsa;
		await fsa.goto(`${URL}/inbox`);
		await waitView(fsa, 'inbox');
		const api = await apiAs('fsa-liaison', 'GET', '/tasks');
		await fsa.waitForFunction(n => document.querySelector('#task-badge')?.textContent === String(n), api.body.count);
		assert(!(await fsa.isHidden('#inbox-task-badge')), 'the inbox shows no task count');
		await fsa.waitForSelector(`#inbox-tasks li[data-kind="report_forward"][data-id="${r.body.id}"]`);
		await fsa.click('a[data-nav="tasks"]');
		await waitView(fsa, 'tasks');
		const li = fsa.locator(`#task-list li[data-kind="report_forward"][data-id="${r.body.id}"]`);
		assert((await li.innerText()).includes('未採番') && !/#\d/.test(await li.innerText()), `task: ${await li.innerText()}`);
		await shot(fsa, '24-tasks-ministry');
		await li.locator('a').click();
		await waitView(fsa, 'report-detail');
		const f = await apiAs('fsa-liaison', 'POST', `/reports/${r.body.id}/forward`, {});
		assert(f.status === 200, `forward: ${f.status}`);
		const { page: nisc } = await ctxFor('nisc-analyst');
		await nisc.goto(`${URL}/inbox`);
		const cell = `#waiting-reports td.triage[data-report="${r.body.id}"]`;
		await nisc.waitForSelector(cell);
		assert((await text(nisc, cell)).includes('未処理'), 'not shown as 未処理');
		await nisc.click(`${cell} button[data-act="assign"]`);
		await nisc.waitForFunction(sel => /担当/.test(document.querySelector(sel)?.textContent || ''), cell);
		await shot(nisc, '25-nisc-triage');
		await nisc.goto(`${URL}/tasks`);
		await waitView(nisc, 'tasks');
		assert((await text(nisc, `#task-list li[data-kind="report_triage"][data-id="${r.body.id}"]`)).includes('担当'), 'assigned task');
		await nisc.goto(`${URL}/inbox`);
		await nisc.waitForSelector(cell);
		await nisc.click(`${cell} button[data-act="done"]`);
		await nisc.waitForSelector(cell, { state: 'detached' });
		const after = await apiAs('nisc-analyst', 'GET', '/tasks');
		assert(!after.body.items.some(x => x.kind === 'report_triage' && x.id === r.body.id), 'done but still a task');
		// The inbox's own tasks panel follows without a reload.
		await nisc.waitForFunction(id => !document.querySelector(`#tasks-panel li[data-kind="report_triage"][data-id="${id}"]`), r.body.id);
	});

	await run.test('警報 pinned on top of the inbox; an operator\'s home shows its own reports\' state', async () => {
		const adv = imp => ({ form: { importance: imp, recipients: [{ sector: 'finance' }], tlp: 'green', has_attachment: 'no',
			threat_content: { summary: imp === 'alert' ? '固定表示の確認用警報' : '後から届いた注意喚起' } } });
		const a = await apiAs('nisc-analyst', 'POST', '/advisories', adv('alert'));
		assert(a.status === 201, `alert: ${a.status}`);
		assert((await apiAs('nisc-approver', 'POST', `/advisories/${a.body.id}/approve`, {})).status === 200, 'approve');
		const c = await apiAs('nisc-analyst', 'POST', '/advisories', adv('caution'));
		for (const id of [a.body.id, c.body.id]) {
			assert((await apiAs('fsa-liaison', 'POST', `/advisories/${id}/relay`, { to: [ORG.bankCeptoar] })).status === 200, 'relay 1');
			assert((await apiAs('bank-ceptoar-poc', 'POST', `/advisories/${id}/relay`, { to: [ORG.bankA] })).status === 200, 'relay 2');
		}
		const { page } = await ctxFor('bank-a-csirt');
		await page.goto(`${URL}/inbox`);
		await page.waitForSelector('.inbox-page[data-ready="true"]');
		const first = await page.getAttribute('#inbox-rows tr:first-child', 'data-id');
		assert(first === String(a.body.id), `the first row is ${first}, not the alert ${a.body.id}`);
		assert(await page.isVisible(`#inbox-rows tr.pinned[data-id="${a.body.id}"]`), 'not marked pinned');
		await page.waitForSelector('#own-reports li[data-state]');
		const own = await text(page, '#own-reports');
		assert(/R\d+/.test(own) && /NISC|所管省庁|セプター/.test(own), `own reports: ${own}`);
		await shot(page, '26-inbox-pinned-own-reports');
	});

	await run.test('問合せ: a ministry asks NISC on the advisory page, an operator asks its ministry, which forwards it; NISC answers both', async () => {
		const fsa = S.fsa;
		await fsa.goto(`${URL}/advisories/${S.advId}`);
		await waitView(fsa, 'advisory-detail');
		await fsa.waitForSelector('#inquiries');
		assert((await text(fsa, '#inquiries')).includes('NISC'), 'no hint');
		await fsa.click('#inq-new-submit');
		await fsa.waitForFunction(() => !document.querySelector('#inq-new-err')?.hidden);
		assert((await text(fsa, '#inq-new-err')).includes('必須'), `empty inquiry error: ${await text(fsa, '#inq-new-err')}`);
		await fsa.fill('#inq-new-text', '対象となる製品の版数を教えてください。');
		await fsa.click('#inq-new-submit');
		await fsa.waitForSelector('#inq-list li[data-kind="inquiry"][data-state="open"]');
		const opb = S.opb;
		await opb.goto(`${URL}/advisories/${S.advId}`);
		await waitView(opb, 'advisory-detail');
		assert(!(await opb.isVisible('#inq-new')), 'an operator is offered an inquiry to NISC');
		await opb.fill('#q-new-text', '当行の勘定系システムは対象ですか。');
		await opb.click('#q-new-submit');
		await opb.waitForSelector('#inq-list li[data-kind="question"][data-state="open"]');
		await fsa.goto(`${URL}/advisories/${S.advId}`);
		await fsa.waitForSelector('#inq-list li[data-kind="question"] form.inq-form');
		await shot(fsa, '27-inquiry-ministry');
		const qid = await fsa.getAttribute('#inq-list li[data-kind="question"]', 'data-id');
		await fsa.fill(`#q-forward-${qid}-text`, '金融機関からの質問: 勘定系システムは対象か。');
		await fsa.click(`#q-forward-${qid}-submit`);
		await fsa.waitForSelector('#inq-list li[data-kind="question"][data-state="forwarded"]');
		const nisc = S.nisc;
		await nisc.goto(`${URL}/advisories/${S.advId}`);
		await waitView(nisc, 'advisory-detail');
		await nisc.waitForSelector('#inq-list li[data-kind="inquiry"][data-state="open"]');
		assert(!(await text(nisc, '#inq-list')).includes('さくら'), 'NISC is told which bank asked');
		// The ministry's own inquiry and the forwarded question; the page reloads after each answer.
		for (let k = 0; k < 2; k++) {
			const id = await nisc.locator('#inq-list li[data-kind="inquiry"][data-state="open"]').first().getAttribute('data-id');
			await nisc.fill(`#inq-answer-${id}-text`, '版数 2.3 以前が対象です。勘定系は対象外です。');
			await nisc.click(`#inq-answer-${id}-submit`);
			await nisc.waitForSelector(`#inq-list li[data-kind="inquiry"][data-id="${id}"][data-state="answered"]`);
		}
		await shot(nisc, '28-inquiry-nisc');
		await opb.goto(`${URL}/advisories/${S.advId}`);
		await opb.waitForSelector('#inq-list li[data-kind="question"][data-state="answered"]');
		assert((await text(opb, '#inq-list')).includes('NISCの回答'), 'the operator does not see NISC\'s answer');
		await shot(opb, '29-inquiry-operator');
	});

	await run.test('Japanese errors: each server code and the scope refusal (with the R-number) in Japanese, English in English', async () => {
		const page = S.nisc;
		await page.goto(`${URL}/inbox`);
		await waitView(page, 'inbox');
		const adv = { related_reports: [S.reportId], form: { importance: 'caution', recipients: [{ sector: 'finance' }, { sector: 'electricity' }], tlp: 'clear',
			has_attachment: 'no', threat_content: { summary: '範囲外の確認用' } } };
		const r = await apiAs('nisc-analyst', 'POST', '/advisories', adv);
		assert(r.status === 409 && r.body.error.message.includes(S.rnum), `scope refusal: ${r.status} ${JSON.stringify(r.body)}`);
		const tr = async body => page.evaluate(async b => {
			const { errorText } = await import('/js/errors.js');
			const { ApiError } = await import('/js/api.js');
			return errorText(new ApiError(b.status, b.body));
		}, body);
		const ja = await tr(r);
		assert(ja.includes(S.rnum) && ja.includes('TLP:CLEAR') && /範囲拡大/.test(ja) && !/[a-z]{4}/.test(ja.replace(/TLP:\S+/g, '')), `ja: ${ja}`);
		for (const code of ['invalid_field', 'unauthenticated', 'forbidden', 'not_found', 'method_not_allowed', 'conflict', 'too_large',
			'rate_limited', 'store_error', 'io_error', 'internal_error']) {
			const m = await tr({ status: 400, body: { error: { code, field: '', message: 'zzz' } } });
			assert(m && !/zzz|err\./.test(m) && /[ぁ-んァ-ン一-龯]/.test(m), `${code}: ${m}`);
		}
		// A translated refusal is not followed by the server's English sentence; an untranslated one keeps it as a detail.
		const details = await page.evaluate(async b => {
			const { serverDetail } = await import('/js/errors.js');
			const { ApiError } = await import('/js/api.js');
			return [serverDetail(new ApiError(b.status, b.body)), serverDetail(new ApiError(400, { error: { code: 'invalid_field', field: 'x', message: 'zzz' } }))]
				.map(d => d === null ? null : d.textContent);
		}, r);
		assert(details[0] === null && /zzz/.test(details[1] || ''), `server details: ${JSON.stringify(details)}`);
		const field = await tr({ status: 400, body: { error: { code: 'invalid_field', field: 'text', message: 'required field is missing' } } });
		assert(field.includes('必須'), `field: ${field}`);
		const op = await apiAs('bank-b-csirt', 'POST', `/advisories/${S.advId}/inquiries`, { text: 'x' });
		assert(op.status === 403, `operator inquiry: ${op.status}`);
		assert((await tr(op)).includes('所管省庁へ質問'), `403 reason: ${await tr(op)}`);
		await page.click('#lang-toggle');
		await page.waitForFunction(() => document.documentElement.lang === 'en');
		const en = await tr(r);
		assert(en.includes(S.rnum) && /wider than the source/i.test(en), `en: ${en}`);
		await page.click('#lang-toggle');
		await page.waitForFunction(() => document.documentElement.lang === 'ja');
	});

	await run.test('federation peers (連携先): an admin adds a peer (its secret never shown), this node polls itself as that peer and NISC reads what arrived with its TLP; RED never crosses; a failing peer shows its error', async () => {
		// This node is its own peer: an organisation stands for the "remote" node, its token is the peer's credential.
		const mkorg = await apiAs('admin', 'POST', '/orgs', { name: '連携ノード（ブラウザ試験）', type: 'ci_ministry', sectors: ['finance'] });
		assert(mkorg.status === 201, `peer org: ${mkorg.status}`);
		const porg = mkorg.body.id;
		const pu = await apiAs('admin', 'POST', '/users', { org: porg, login: 'peer-node-b', display_name: 'peer node', roles: ['liaison'] });
		const tok = await apiAs('admin', 'POST', `/users/${pu.body.id}/tokens`, { label: 'federation' });
		assert(tok.status === 201, `peer token: ${tok.status}`);
		const adv = tlp => ({ form: { tlp, has_attachment: 'no', importance: 'caution', recipients: [{ ministry: porg, sector: 'finance' }],
			threat_content: { summary: `連携試験 ${tlp} C2 203.0.113.77`, target: '銀行' }, countermeasures: '通信の遮断' } });
		for (const tlp of ['amber', 'red'])
			assert((await apiAs('nisc-analyst', 'POST', '/advisories', adv(tlp))).status === 201, `${tlp} advisory`);
		// A platform admin who logs in with a password.
		const me = await apiAs('admin', 'GET', '/me');
		const pw = 'Federation-keeper-2026!';
		const au = await apiAs('admin', 'POST', '/users', { org: me.body.org.id, login: 'peer-admin', display_name: '連携管理者', roles: ['admin'], password: pw });
		assert(au.status === 201, `admin user: ${au.status} ${JSON.stringify(au.body)}`);
		USERS['peer-admin'] = { password: pw };
		const { page } = await ctxFor('peer-admin');
		await page.click('a[data-nav="peers"]');
		await waitView(page, 'peers');
		assert(await page.isVisible('#peer-none'), 'no peer yet');
		const add = async (name, url, secret) => {
			await page.fill('#peer-name', name);
			await page.selectOption('#peer-org', String(porg));
			await page.fill('#peer-url', url);
			await page.selectOption('#peer-auth', 'bearer');
			await page.fill('#peer-secret', secret);
			await page.fill('#peer-interval', '60');
			await page.click('#peer-submit');
		};
		await add('bad peer', 'ftp://nowhere.example/', 'x');
		await page.waitForFunction(() => !document.querySelector('#peer-err')?.hidden);
		assert((await text(page, '#peer-err')).includes('url'), `the refusal names url: ${await text(page, '#peer-err')}`);
		await add('自ノード', `${URL}/taxii2/cishare/`, tok.body.token);
		await page.waitForSelector('#peer-list tbody tr');
		await add('停止中のノード', 'http://127.0.0.1:9/taxii2/cishare/', 'secret-never-shown');
		await page.waitForSelector('#peer-list tbody tr:nth-child(2)');
		assert(!(await page.content()).includes(tok.body.token), 'the secret is on the page');
		// Both are polled at once: the good one syncs, the closed port fails.
		for (let i = 0; i < 40; i++) {
			await page.click('#peer-refresh');
			await page.waitForSelector('#peer-list');
			const rows = await page.locator('#peer-list tbody tr').allInnerTexts();
			if (rows.length === 2 && /\d{4}/.test(await text(page, '#peer-list tbody tr:nth-child(1) td[data-col="cursor"]')) &&
			    (await text(page, '#peer-list tbody tr:nth-child(2) td[data-col="status"]')).includes('失敗'))
				break;
			await page.waitForTimeout(250);
		}
		const good = await text(page, '#peer-list tbody tr:nth-child(1)');
		assert(good.includes('正常') && /\d{4}-\d{2}-\d{2}T/.test(good), `the good peer: ${good}`);
		const bad = await text(page, '#peer-list tbody tr:nth-child(2) td[data-col="status"]');
		assert(bad.includes('1 回連続で失敗') || bad.includes('回連続で失敗'), `the failing peer: ${bad}`);
		const [sync] = await Promise.all([page.waitForResponse(r => r.url().endsWith('/sync')), page.click('#peer-list tbody tr:nth-child(1) button[data-act="sync"]')]);
		assert(sync.status() === 202, `sync now: ${sync.status()}`);
		await shot(page, '23-peers');
		// NISC reads the federated inbox: the AMBER one with its TLP and its source, never the RED one.
		const nisc = S.nisc || (await ctxFor('nisc-analyst')).page;
		await nisc.goto(`${URL}/peers`);
		await waitView(nisc, 'peers');
		await nisc.waitForSelector('#fed-inbox');
		const inbox = await text(nisc, '#fed-inbox');
		assert(inbox.includes('連携試験 amber') && inbox.includes('TLP:AMBER') && inbox.includes('自ノード'), `federated inbox: ${inbox.slice(0, 300)}`);
		assert(!inbox.includes('連携試験 red'), 'a RED advisory crossed');
		assert(!(await nisc.isVisible('#peer-form')), 'NISC is offered the admin form');
	});

	await run.test('1280×720: no screen scrolls sideways', async () => {
		const page = S.nisc;
		const paths = ['/inbox', `/reports/${S.reportId}`, `/reports/${S.reportId}/followup`, '/reports', `/advisories/${S.advId}`, '/advisories/new', '/search', '/stats', '/admin'];
		for (const p of paths) {
			await page.goto(`${URL}${p}`);
			await page.waitForSelector('main[data-view]');
			await page.waitForTimeout(100);
			const w = await page.evaluate(() => document.documentElement.scrollWidth);
			assert(w <= 1280, `${p} is ${w}px wide`);
		}
	});

	await run.test('interop: the TAXII address and readable collections; NISC contributes a STIX bundle, a bad one names the object', async () => {
		const page = S.nisc || (await ctxFor('nisc-analyst')).page;
		await page.goto(`${URL}/interop`);
		await waitView(page, 'interop');
		await page.waitForSelector('#taxii-table tbody tr');
		assert((await text(page, '#taxii-url')).endsWith('/taxii2/'), 'no TAXII address');
		const colls = await page.locator('#taxii-table tbody tr').evaluateAll(rs => rs.map(r => r.dataset.coll));
		assert(colls.join(',') === 'advisories,indicators,reports,contributions', `NISC's collections: ${colls}`);
		const ind = {
			type: 'indicator', spec_version: '2.1', id: 'indicator--0e7c6f5a-3b2d-4c1e-9f8a-7b6c5d4e3f21',
			created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z',
			pattern: "[domain-name:value = 'evil.example.net']", pattern_type: 'stix', valid_from: '2026-12-01T00:00:00Z',
		};
		const file = (o) => ({ name: 'b.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ objects: [o] })) });
		await page.setInputFiles('#stix-file', file({ ...ind, pattern: '[domain-name:value = ]' }));
		await page.click('#stix-import-go');
		await page.waitForFunction(() => !document.querySelector('#stix-err')?.hidden);
		assert((await text(page, '#stix-err')).startsWith('objects.0.pattern'), `error: ${await text(page, '#stix-err')}`);
		await page.setInputFiles('#stix-file', file(ind));
		await page.click('#stix-import-go');
		await page.waitForSelector('#stix-done');
		assert((await text(page, '#stix-done')).includes('1 / 1'), `done: ${await text(page, '#stix-done')}`);
		await shot(page, '19-interop');
		const { page: op } = await ctxFor('power-a-csirt');
		await op.goto(`${URL}/interop`);
		await waitView(op, 'interop');
		await op.waitForSelector('#taxii-table tbody tr');
		const oc = await op.locator('#taxii-table tbody tr').evaluateAll(rs => rs.map(r => r.dataset.coll));
		assert(oc.join(',') === 'advisories,indicators', `the operator's collections: ${oc}`);
		assert(!(await op.isVisible('#stix-import')), 'the operator is offered the import');
	});

	// ---- issue 15: what a demanding office would expect of the forms and flows ----

	await run.test('issue 15: report form — contact fields prefilled and editable, 組織名, one TLP definition, counters, errors cleared on correction, tall timeline', async () => {
		const { page } = await ctxFor('bank-b-csirt');
		await page.goto(`${URL}/reports/new`);
		await waitView(page, 'report-new');
		assert((await text(page, 'label[for="fld-form-reporter-phone"]')).includes('電話'), 'no editable phone field');
		assert((await page.locator('[data-path="reporter.ministry_name"] .lbl').first().innerText()).startsWith('組織名'), 'the operator is labelled 省庁名');
		await page.fill('#fld-form-reporter-department', 'システム統括部');
		await page.fill('#fld-form-reporter-phone', '03-5555-0101');
		await page.fill('#fld-form-reporter-fax', '03-5555-0102');
		assert(await page.locator('.tlp-text-scope').count() === 0, 'each TLP option still repeats its definition');
		await page.fill('#fld-form-overview-event_summary', 'あいう');
		assert((await text(page, '#fld-form-overview-event_summary-count')).includes('3 / 8000'), 'no character counter');
		await page.click('#submit');
		await page.waitForSelector('#fld-form-tlp-err:not([hidden])');
		assert(await page.isVisible('#fld-legal_duty-err'), '報告義務 not asked');
		await page.check('#fld-form-tlp-amber');
		assert(!(await page.isVisible('#fld-form-tlp-err')), 'a corrected field keeps its error');
		await page.check('#fld-legal_duty-yes');
		assert(await page.isDisabled('#fld-route-via_ceptoar'), 'a legally reportable case may still go anonymised');
		await page.click('#fld-form-timeline-add');
		assert(await page.getAttribute('#fld-form-timeline-0-description', 'rows') === '3', 'the timeline textarea is one line');
		await shot(page, '30-report-contact-counters');
		await page.evaluate(() => sessionStorage.clear());
	});

	await run.test('issue 15: 第2報 diff — one appended timeline row is one change; the 変更点 column keeps its words', async () => {
		const form = { tlp: 'amber', has_attachment: 'no', sector: 'finance', importance: 'caution', event_type: 'event_malware_infection',
			overview: { event_summary: '第2報の差分確認' }, timeline: [{ at: '12/01 09:00', description: '検知' }, { at: '12/01 09:30', description: '隔離' }] };
		const r = await apiAs('bank-b-csirt', 'POST', '/reports', { route: 'direct', legal_duty: false, form });
		assert(r.status === 201, `setup: ${JSON.stringify(r.body)}`);
		const { page } = await ctxFor('bank-b-csirt');
		await page.goto(`${URL}/reports/${r.body.id}/followup`);
		await waitView(page, 'report-followup');
		await page.click('#fld-form-timeline-add');
		await page.fill('#fld-form-timeline-2-at', '12/01 10:00');
		await page.fill('#fld-form-timeline-2-description', '復旧作業を開始');
		await page.waitForSelector('#diff table.diff tr[data-path="timeline.2"]');
		const paths = await page.locator('#diff table.diff tbody tr').evaluateAll(rs => rs.map(x => x.dataset.path));
		assert(paths.join(',') === 'timeline.2', `diff rows: ${paths}`);
		const box = await page.locator('#diff table.diff tbody th').first().boundingBox();
		assert(box && box.width > 70, `the 変更点 column is ${box && box.width}px wide`);
		await shot(page, '31-followup-diff-row');
		await page.evaluate(() => sessionStorage.clear());
	});

	await run.test('issue 15: advisory — draft asked with its age, duplicate recipients refused, confirmation, 差戻し with a comment, resubmit, approve', async () => {
		const { page } = await ctxFor('nisc-analyst');
		await page.goto(`${URL}/advisories/new`);
		await waitView(page, 'advisory-new');
		await page.fill('#fld-form-threat_content-summary', '古い下書き');
		await page.waitForTimeout(400);
		await page.reload();
		await waitView(page, 'advisory-new');
		await page.waitForSelector('#draft-prompt');
		assert(await page.inputValue('#fld-form-threat_content-summary') === '', 'an old draft was restored silently');
		await shot(page, '32-advisory-draft-prompt');
		await page.click('#draft-discard');
		assert(!(await page.isVisible('#draft-prompt')), 'the prompt stays after discarding');
		await page.check('#fld-form-importance-alert');
		await page.selectOption('#fld-form-recipients-0-sector', 'finance');
		await page.click('#fld-form-recipients-add');
		await page.selectOption('#fld-form-recipients-1-sector', 'finance');
		await page.check('#fld-form-tlp-amber');
		await page.check('#fld-form-has_attachment-no');
		await page.fill('#fld-form-threat_content-summary', '差戻しの確認用の注意喚起');
		await page.fill('#fld-form-countermeasures', 'パッチを適用すること。');
		await page.click('#submit');
		await page.waitForSelector('#fld-form-recipients-err:not([hidden])');
		assert((await text(page, '#fld-form-recipients-err')).includes('重複'), 'duplicate recipients accepted by the form');
		const dup = await apiAs('nisc-analyst', 'POST', '/advisories', { form: { tlp: 'amber', has_attachment: 'no',
			recipients: [{ sector: 'finance' }, { sector: 'finance' }], threat_content: { summary: 'x' } } });
		assert(dup.status === 400 && dup.body.error.field === 'form.recipients.1', `server: ${JSON.stringify(dup.body)}`);
		await page.selectOption('#fld-form-recipients-1-sector', 'electricity');
		await page.click('#submit');
		await page.waitForSelector('#confirm-issue[open]');
		assert(await page.locator('#confirm-to li').count() === 2, 'the confirmation does not list both addressees');
		assert((await text(page, '#confirm-tlp')).includes('AMBER'), 'the confirmation does not show the TLP');
		await shot(page, '33-advisory-confirm');
		await page.click('#confirm-issue-confirm');
		await waitView(page, 'advisory-detail');
		await page.waitForSelector('.state-pending_approval');
		S.retId = Number(/\/advisories\/(\d+)$/.exec(page.url())[1]);
		const { page: appr } = await ctxFor('nisc-approver');
		await appr.goto(`${URL}/advisories/${S.retId}`);
		await waitView(appr, 'advisory-detail');
		await appr.click('#act-return');
		await appr.click('#return-dlg-confirm');
		await appr.waitForSelector('#return-dlg-err:not([hidden])');
		await appr.fill('#return-comment', '対処方針をより具体的に記載してください。');
		await shot(appr, '34-advisory-return');
		await appr.click('#return-dlg-confirm');
		await appr.waitForSelector('.state-returned_for_revision');
		await page.goto(`${URL}/advisories/${S.retId}`);
		await waitView(page, 'advisory-detail');
		assert((await text(page, '#returns')).includes('より具体的に'), 'the drafter does not see the comment');
		assert((await text(page, '#act-followup')).includes('再提出'), 'no resubmit action');
		await page.click('#act-followup');
		await waitView(page, 'advisory-followup');
		await page.fill('#fld-form-countermeasures', 'パッチを適用し、通信ログを7日分確認すること。');
		await page.click('#submit');
		await page.click('#confirm-issue-confirm');
		await waitView(page, 'advisory-detail');
		await page.waitForSelector('.state-pending_approval');
		await appr.goto(`${URL}/advisories/${S.retId}`);
		await waitView(appr, 'advisory-detail');
		await appr.click('#act-approve');
		await appr.click('#approve-dlg-confirm');
		await appr.waitForSelector('.state-issued');
	});

	await run.test('issue 15: relay dialog grouped with search, select-all and a comment; relaying acknowledges; 督促', async () => {
		const cep = (await apiAs('fsa-liaison', 'GET', `/orgs/${ORG.bankCeptoar}`)).body;
		const { page } = await ctxFor('fsa-liaison');
		await page.goto(`${URL}/advisories/${S.retId}`);
		await waitView(page, 'advisory-detail');
		await page.click('#act-relay');
		await page.waitForSelector('#relay-dlg[open]');
		assert(await page.locator('#relay-dlg fieldset.org-group').count() >= 2, 'candidates are not grouped');
		await page.fill('#relay-to-search', cep.name.slice(0, 4));
		await page.click('#relay-to-all');
		assert(await page.isChecked(`#relay-to-${ORG.bankCeptoar}`) && !(await page.isChecked(`#relay-to-${ORG.bankA}`)), 'search + select-all');
		await page.fill('#relay-dlg-comment', '会員各行へ至急周知願います。');
		await shot(page, '35-relay-dialog');
		await page.click('#relay-dlg-confirm');
		await page.waitForSelector(`#delivery-tree tr[data-org="${ORG.bankCeptoar}"] td.hop-comment`);
		assert((await text(page, `#delivery-tree tr[data-org="${ORG.bankCeptoar}"] td.hop-comment`)).includes('至急周知'), 'no comment on the hop');
		const mine = (await apiAs('fsa-liaison', 'GET', `/advisories/${S.retId}`)).body.my_delivery;
		assert(mine.acknowledged_at, 'relaying did not acknowledge');
		await page.waitForSelector('#act-remind');
		await page.click('#act-remind');
		await page.waitForSelector('#remind-dlg[open]');
		assert(await page.locator('#remind-orgs li').count() === 1, 'remind targets');
		await page.click('#remind-dlg-confirm');
		await page.waitForSelector(`#delivery-tree tr[data-org="${ORG.bankCeptoar}"]`);
		const hops = (await apiAs('fsa-liaison', 'GET', `/advisories/${S.retId}`)).body.delivery.hops;
		assert(hops.find(x => x.org === ORG.bankCeptoar).reminders === 1, 'the reminder is not counted');
		await shot(page, '36-delivery-comment-remind');
	});

	await run.test('issue 15: audit-log viewer (filters, paging, chain check) and a password reset by the org admin', async () => {
		const { page } = await ctxFor('nisc-approver');
		await page.click('a[data-nav="audit"]');
		await waitView(page, 'audit');
		await page.waitForSelector('#audit-table tbody tr[data-seq]');
		await page.fill('#audit-action', 'advisory.return');
		await page.click('#audit-apply');
		await page.waitForFunction(() => [...document.querySelectorAll('#audit-table tbody tr[data-seq]')].length > 0 &&
		    [...document.querySelectorAll('#audit-table tbody tr[data-seq]')].every(r => r.dataset.action === 'advisory.return'));
		await page.fill('#audit-action', '');
		await page.selectOption('#audit-limit', '50');
		await page.click('#audit-apply');
		await page.waitForFunction(() => [...document.querySelectorAll('#audit-table tbody tr[data-seq]')].some(r => r.dataset.action !== 'advisory.return'));
		// Paging (the whole suite leaves far more than 50 entries NISC may read).
		if (!(await page.isDisabled('#audit-next'))) {
			const first = await page.locator('#audit-table tbody tr[data-seq]').first().getAttribute('data-seq');
			await page.click('#audit-next');
			await page.waitForFunction(f => document.querySelector('#audit-table tbody tr[data-seq]')?.dataset.seq !== f, first);
			// The page renders its rows, then its buttons: wait for the way back.
			await page.waitForFunction(() => document.querySelector('#audit-prev') && !document.querySelector('#audit-prev').disabled, null, { timeout: 10000 });
			await page.click('#audit-prev');
			await page.waitForFunction(f => document.querySelector('#audit-table tbody tr[data-seq]')?.dataset.seq === f, first);
		}
		await page.click('#audit-verify');
		await page.waitForSelector('#audit-verify-out.ok');
		await shot(page, '37-audit-viewer');
		const { page: adm } = await ctxFor('bank-a-csirt');
		assert(!(await adm.isVisible('a[data-nav="audit"]')), 'an operator is offered the audit log');
		await adm.goto(`${URL}/admin`);
		await waitView(adm, 'admin');
		const uid = USERS['bank-a-contractor'].id || (await apiAs('bank-a-csirt', 'GET', `/users?org=${ORG.bankA}`)).body.items.find(u => u.login === 'bank-a-contractor').id;
		await adm.click(`#pw-reset-${uid}`);
		await adm.click('#pw-reset-dlg-confirm');
		await adm.waitForSelector('#pw-temp');
		const tmp = (await text(adm, '#pw-temp')).trim();
		assert(tmp.length === 16, `temporary password: ${tmp}`);
		await shot(adm, '38-password-reset');
		await adm.click('#pw-temp-dlg-confirm');
		const context = await newContext(browser);
		contexts.push(context);
		const lp = await context.newPage();
		await lp.goto(`${URL}/login`);
		await waitView(lp, 'login');
		await lp.fill('#login', 'bank-a-contractor');
		await lp.fill('#password', tmp);
		await lp.click('#login-submit');
		await lp.waitForSelector('#new-password-line:not([hidden])');
		await lp.fill('#new-password', 'contractor-new-pass-2026');
		await shot(lp, '39-login-new-password');
		await lp.click('#login-submit');
		await lp.waitForSelector('#who');
	});

	await run.test('retention: NISC places a legal hold on a report and an advisory, the source erases its anonymised identity behind a typed confirmation, an admin reads the retention panel', async () => {
		const form = { tlp: 'green', sector: 'finance', has_attachment: 'no', event_type: 'event_malware_infection', importance: 'caution',
			cause_types: ['cause_suspicious_email_received'], overview: { discovered_at: '2026-12-07T09:00:00+09:00', event_summary: '保存期間の確認用' } };
		const r = await apiAs('bank-a-csirt', 'POST', '/reports', { route: 'via_ceptoar', legal_duty: false, form });
		assert(r.status === 201, `file: ${r.status}`);
		const id = r.body.id;
		const f1 = await apiAs('bank-ceptoar-poc', 'POST', `/reports/${id}/forward`, { confirm_small_anonymity_set: true });
		assert(f1.status === 200, `CEPTOAR forward: ${f1.status} ${JSON.stringify(f1.body)}`);
		assert((await apiAs('fsa-liaison', 'POST', `/reports/${id}/forward`, {})).status === 200, 'ministry forward');
		// NISC: the hold toggle on the report, then on an advisory
		const page = S.nisc;
		await page.goto(`${URL}/reports/${id}`);
		await waitView(page, 'report-detail');
		assert(!(await page.isVisible('#act-erase-source')), 'NISC is offered the erasure');
		assert((await page.getAttribute('#act-hold', 'aria-pressed')) === 'false', 'held before the click');
		const [held] = await Promise.all([page.waitForResponse(x => x.url().endsWith(`/reports/${id}/hold`) && x.request().method() === 'PUT'), page.click('#act-hold')]);
		assert(held.status() === 200, `hold: ${held.status()}`);
		await page.waitForSelector('#held-chip');
		assert((await page.getAttribute('#act-hold', 'aria-pressed')) === 'true', 'not shown held');
		await shot(page, '40-legal-hold');
		const adv = await apiAs('nisc-analyst', 'POST', '/advisories', { form: { tlp: 'green', has_attachment: 'no', importance: 'caution',
			recipients: [{ sector: 'finance' }], threat_content: { summary: '保存期間の確認用の情報提供', target: '銀行' }, countermeasures: '確認' } });
		assert(adv.status === 201, `advisory: ${adv.status}`);
		await page.goto(`${URL}/advisories/${adv.body.id}`);
		await waitView(page, 'advisory-detail');
		await page.click('#act-hold');
		await page.waitForSelector('#held-chip');
		await page.click('#act-hold');
		await page.waitForFunction(() => !document.querySelector('#held-chip') && document.querySelector('#act-hold')?.getAttribute('aria-pressed') === 'false');
		// the source: the erase button, a confirmation that needs the id typed in
		const op = S.op;
		await op.goto(`${URL}/reports/${id}`);
		await waitView(op, 'report-detail');
		assert(!(await op.isVisible('#act-hold')), 'the source is offered a hold');
		await op.click('#act-erase-source');
		await op.waitForSelector('#erase-dlg');
		assert(await op.isDisabled('#erase-dlg-confirm'), 'the erasure is enabled before the id is typed');
		assert((await text(op, '#erase-dlg')).includes('取り消せません'), 'no irreversibility warning');
		await op.fill('#erase-confirm-id', String(id + 1));
		assert(await op.isDisabled('#erase-dlg-confirm'), 'a wrong id enables the erasure');
		await op.fill('#erase-confirm-id', String(id));
		await shot(op, '41-erase-source');
		const [er] = await Promise.all([op.waitForResponse(x => x.url().endsWith(`/reports/${id}/erase-source`)), op.click('#erase-dlg-confirm')]);
		assert(er.status() === 200, `erase: ${er.status()}`);
		// the secretariat: the report, no source any more
		const { page: cep } = await ctxFor('bank-ceptoar-poc');
		await cep.goto(`${URL}/reports/${id}`);
		await waitView(cep, 'report-detail');
		await cep.waitForSelector('#source-erased');
		assert(!(await cep.isVisible('#act-erase-source')), 'erasure offered twice');
		assert(!(await cep.content()).includes('みなと銀行'), 'the secretariat still sees the source');
		// an admin: the retention panel
		const me = await apiAs('admin', 'GET', '/me');
		const pw = 'Retention-keeper-2026!';
		const au = await apiAs('admin', 'POST', '/users', { org: me.body.org.id, login: 'retention-admin', display_name: '保存期間管理者', roles: ['admin'], password: pw });
		assert(au.status === 201, `admin user: ${au.status} ${JSON.stringify(au.body)}`);
		USERS['retention-admin'] = { password: pw };
		const { page: ad } = await ctxFor('retention-admin');
		await ad.click('a[data-nav="retention"]');
		await waitView(ad, 'retention');
		await ad.waitForSelector('#retention-classes tr[data-class="reports"]');
		assert((await text(ad, '#retention-classes tr[data-class="reports"]')).includes('無期限'), 'reports are not kept forever by default');
		assert((await text(ad, '#retention-held')).includes('報告 1 件'), `holds: ${await text(ad, '#retention-held')}`);
		await shot(ad, '42-retention');
		assert(!(await S.op.isVisible('a[data-nav="retention"]')), 'an operator sees the retention menu');
	});

	await run.test('logout ends the session', async () => {
		const page = S.op;
		await page.goto(`${URL}/inbox`);
		await waitView(page, 'inbox');
		await page.evaluate(() => sessionStorage.setItem('cishare.draft.probe', JSON.stringify({ value: 'TLP:RED draft', at: new Date().toISOString() })));
		await page.click('#logout');
		await waitView(page, 'login');
		const st = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
		assert(st === 401, `session after logout: ${st}`);
		// ASVS 8.2.3: nothing of the session stays in the browser's storage.
		const left = await page.evaluate(() => sessionStorage.length + Object.keys(localStorage).filter(k => k !== 'cishare.lang').length);
		assert(left === 0, `browser storage after logout: ${left} item(s)`);
		await page.goto(`${URL}/reports/${S.reportId}`);
		await waitView(page, 'login');
	});

	await run.test('two-factor authentication (TOTP): a user enrolls on アカウント (secret and otpauth URI as text), a wrong code is refused, the right one turns it on with ten recovery codes; the login form then asks for the code; a recovery code turns it off', async () => {
		const b32 = s => {
			let bits = '', out = [];
			for (const ch of s.replace(/=+$/, ''))
				bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(ch).toString(2).padStart(5, '0');
			for (let i = 0; i + 8 <= bits.length; i += 8)
				out.push(parseInt(bits.slice(i, i + 8), 2));
			return Buffer.from(out);
		};
		// RFC 6238 with node's HMAC, independent of the server's liboath.
		const totp = (secret, off = 0) => {
			const c = Buffer.alloc(8);
			c.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + off));
			const mac = createHmac('sha1', b32(secret)).update(c).digest();
			const o = mac[19] & 15;
			return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
		};
		const settle = async () => {
			while (Date.now() / 1000 % 30 > 25 || Date.now() / 1000 % 30 < 1)
				await new Promise(r => setTimeout(r, 300));
		};
		const pw = 'Two-factor-user-2026!';
		const u = await apiAs('admin', 'POST', '/users', { org: ORG.bankA, login: 'totp-user', display_name: '二要素 太郎', roles: ['member'], password: pw });
		assert(u.status === 201, `user: ${u.status} ${JSON.stringify(u.body)}`);
		USERS['totp-user'] = { password: pw };
		const { page } = await ctxFor('totp-user');
		await page.click('a[data-nav="account"]');
		await waitView(page, 'account');
		assert(await page.locator('#page-title').innerText() === 'アカウントとセキュリティ', 'account title');
		await page.waitForSelector('#totp-body[data-state="off"]');
		await page.click('#totp-enroll');
		await page.waitForSelector('#totp-secret');
		const secret = (await text(page, '#totp-secret')).trim();
		assert(/^[A-Z2-7]{32}$/.test(secret), `secret: ${secret}`);
		assert((await text(page, '#totp-uri')).startsWith(`otpauth://totp/cishare:totp-user?secret=${secret}&issuer=cishare`), 'the otpauth URI');
		await settle();
		await page.fill('#totp-code', String((Number(totp(secret)) + 1) % 1000000).padStart(6, '0'));
		await page.click('#totp-confirm');
		await page.waitForFunction(() => !document.querySelector('#totp-err')?.hidden);
		assert((await text(page, '#totp-err')).includes('コードが正しくありません'), 'a wrong code is refused in Japanese');
		await page.fill('#totp-code', totp(secret));
		await page.click('#totp-confirm');
		await page.waitForSelector('#totp-recovery');
		const codes = await page.locator('#totp-recovery li').allInnerTexts();
		assert(codes.length === 10 && codes.every(c => /^[a-z2-9]{5}-[a-z2-9]{5}$/.test(c.trim())), `recovery codes: ${codes}`);
		assert(await page.isVisible('#totp-body[data-state="enabled"]'), 'enabled');
		await shot(page, '40-account-totp');
		// A new login: the password alone is answered with a request for the code.
		const context = await newContext(browser);
		contexts.push(context);
		const lp = await context.newPage();
		await lp.goto(`${URL}/login`);
		await waitView(lp, 'login');
		assert(await lp.isHidden('#otp-line'), 'no code field before the server asks');
		await lp.fill('#login', 'totp-user');
		await lp.fill('#password', pw);
		await lp.click('#login-submit');
		await lp.waitForSelector('#otp-line:not([hidden])');
		assert((await text(lp, '#login-err')).includes('確認コード'), 'the form asks for the code');
		await shot(lp, '41-login-otp');
		await settle();
		await lp.fill('#otp', totp(secret, 1));
		await lp.click('#login-submit');
		await lp.waitForSelector('#who');
		// Turning it off with a recovery code (the user holds no authenticator here).
		await lp.goto(`${URL}/account`);
		await lp.waitForSelector('#totp-body[data-state="enabled"]');
		assert((await text(lp, '#totp-left')).includes('10'), 'ten recovery codes left');
		lp.once('dialog', d => d.accept());
		await lp.fill('#totp-disable-code', codes[0].trim());
		await lp.click('#totp-disable');
		await lp.waitForSelector('#totp-body[data-state="off"]');
	});

	await run.test('passwords (ASVS 2.1.5, 2.1.6, 2.1.12): the login form shows the password on request; a user changes its own password on アカウント with the current one (a wrong one is refused in Japanese), is logged out, and logs in with the new one', async () => {
		const pw = 'First secret of hanako 1';
		const pw2 = 'Second secret of hanako 2';
		const u = await apiAs('admin', 'POST', '/users', { org: ORG.bankA, login: 'pw-user', display_name: 'パスワード 花子', roles: ['member'], password: pw });
		assert(u.status === 201, `user: ${u.status} ${JSON.stringify(u.body)}`);
		USERS['pw-user'] = { password: pw };
		const context = await newContext(browser);
		contexts.push(context);
		const lp = await context.newPage();
		await lp.goto(`${URL}/login`);
		await waitView(lp, 'login');
		await lp.fill('#password', 'visible on request');
		assert(await lp.getAttribute('#password', 'type') === 'password', 'the password is masked at first');
		assert(await lp.locator('#password-show').innerText() === '表示', 'the show button is labelled in Japanese');
		await lp.click('#password-show');
		assert(await lp.getAttribute('#password', 'type') === 'text', 'shown on request');
		assert(await lp.getAttribute('#password-show', 'aria-pressed') === 'true', 'the button says it is pressed');
		await lp.click('#password-show');
		assert(await lp.getAttribute('#password', 'type') === 'password', 'masked again');
		await lp.fill('#login', 'pw-user');
		await lp.fill('#password', pw);
		await lp.click('#login-submit');
		await lp.waitForSelector('#who');
		await lp.click('a[data-nav="account"]');
		await waitView(lp, 'account');
		await lp.fill('#pw-current', 'not the current password');
		await lp.fill('#pw-new', pw2);
		await lp.click('#pw-change');
		await lp.waitForFunction(() => !document.querySelector('#pw-err')?.hidden);
		assert((await text(lp, '#pw-err')).includes('現在のパスワードが正しくありません'), `wrong current: ${await text(lp, '#pw-err')}`);
		await lp.fill('#pw-current', pw);
		await lp.fill('#pw-new', 'short');
		await lp.click('#pw-change');
		await lp.waitForFunction(() => (document.querySelector('#pw-err')?.textContent || '').includes('12文字以上'));
		await shot(lp, '42-account-password');
		await lp.fill('#pw-new', pw2);
		await lp.click('#pw-change');
		await waitView(lp, 'login');
		const st = await lp.evaluate(async () => (await fetch('/api/v1/session')).status);
		assert(st === 401, `the session after a password change: ${st}`);
		await lp.fill('#login', 'pw-user');
		await lp.fill('#password', pw2);
		await lp.click('#login-submit');
		await lp.waitForSelector('#who');
	});

	await run.test('no script errors or CSP violations on any page', async () => {
		const problems = contexts.flatMap(c => c.problems);
		assert(!problems.length, problems.slice(0, 5).join(' | '));
	});

	await run.test('cishared still serving', async () => {
		const r = await fetch(`${URL}/api/v1/public/advisories`);
		assert(r.status === 200, `status ${r.status}`);
	});
} finally {
	await browser.close().catch(() => {});
}
process.exit(run.summary() ? 0 : 1);
