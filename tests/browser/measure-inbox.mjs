// tests/browser/measure-inbox.mjs BUILD_DIR [N]
//
// Time-to-interactive of the inbox with N (default 1,000) advisories: starts
// its own cishared on a temporary demo database, has NISC issue N urgent
// advisories through the API (each delivered straight to the finance
// operators, among them さくら信用金庫), logs in as bank-b-csirt in Debian's
// chromium and measures, from navigation start, until the inbox has rendered
// every row and answers input (the page's own 'inbox-interactive' mark,
// then a click on a filter is timed).  Prints the numbers; not pass/fail.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROME_ARGS } from './lib.mjs';

const build = resolve(process.argv[2] || 'build');
const N = Number(process.argv[3] || 1000);
const RUNS = Number(process.env.RUNS || 3);
const work = mkdtempSync(join(tmpdir(), 'cishare-tti-'));
const db = join(work, 't.db');

const init = execFileSync(join(build, 'cishared'), ['init', '--db', db, '--demo'], { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
const users = {};
for (const m of init.matchAll(/^demo-user: login=(\S+) password=(\S+) token=(\S+) org=(\d+)/gm))
	users[m[1]] = { password: m[2], token: m[3], org: Number(m[4]) };

const server = spawn(join(build, 'cishared'), ['serve', '--db', db, '--listen', '127.0.0.1:0'], {
	env: { ...process.env, CISHARED_RATE_LIMIT: '0', ASAN_OPTIONS: 'detect_leaks=0' }, stdio: ['ignore', 'pipe', 'ignore'],
});
const url = await new Promise((ok, fail) => {
	let out = '';
	server.stdout.on('data', d => {
		out += d;
		const m = /listening on (127\.0\.0\.1:\d+)/.exec(out);
		if (m)
			ok(`http://${m[1]}`);
	});
	server.on('exit', c => fail(new Error(`cishared exited ${c}`)));
	setTimeout(() => fail(new Error('cishared did not start')), 10000);
});

try {
	const t0 = Date.now();
	for (let i = 0; i < N; i++) {
		const r = await fetch(`${url}/api/v1/advisories`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${users['nisc-analyst'].token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ urgent: true, form: { importance: i % 10 === 0 ? 'caution' : 'reference', recipients: [{ sector: 'finance' }],
				tlp: i % 3 ? 'green' : 'amber', has_attachment: 'no',
				threat_content: { summary: `計測用の情報提供 ${i + 1}: 不審メールに関する参考情報（金融分野）` } } }),
		});
		if (r.status !== 201)
			throw new Error(`seeding advisory ${i}: HTTP ${r.status} ${await r.text()}`);
	}
	console.log(`seeded ${N} advisories in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROME_ARGS });
	const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
	const page = await context.newPage();
	await page.goto(`${url}/login`);
	await page.fill('#login', 'bank-b-csirt');
	await page.fill('#password', users['bank-b-csirt'].password);
	await page.click('#login-submit');
	await page.waitForSelector('.inbox-page[data-ready="true"]', { timeout: 60000 });
	const results = [];
	for (let r = 0; r < RUNS; r++) {
		await page.goto(`${url}/inbox`, { waitUntil: 'commit' });
		await page.waitForSelector('.inbox-page[data-ready="true"]', { timeout: 60000 });
		const m = await page.evaluate(() => {
			const first = performance.getEntriesByName('inbox-first-page')[0];
			const done = performance.getEntriesByName('inbox-interactive')[0];
			return { first: first ? first.startTime : null, interactive: done ? done.startTime : null, rows: document.querySelectorAll('#inbox-rows tr').length };
		});
		// Interactive: the page answers a click at once after the mark.
		const c0 = Date.now();
		await page.click('#inbox-filter-unread', { timeout: 10000 });
		await page.waitForURL(/filter=unread/);
		m.clickMs = Date.now() - c0;
		results.push(m);
		console.log(`run ${r + 1}: rows=${m.rows} first-rows=${Math.round(m.first)} ms interactive=${Math.round(m.interactive)} ms click-response=${m.clickMs} ms`);
	}
	const sorted = results.map(x => x.interactive).sort((a, b) => a - b);
	const median = sorted[Math.floor(sorted.length / 2)];
	console.log(`inbox time-to-interactive with ${results[0].rows} items: ${Math.round(median)} ms (median of ${RUNS}, from navigation start; first ${Math.round(results[0].first)} ms for the first rows)`);
	await browser.close();
} finally {
	server.kill('SIGTERM');
	rmSync(work, { recursive: true, force: true });
}
