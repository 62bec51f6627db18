// tests/browser/lib.mjs: launching Debian's chromium through playwright-core
// (no browser download), logging in, screenshots, and a tiny test runner
// whose last line is "N passed, N failed".
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SHOTS = join(HERE, 'screenshots');
export const URL = process.env.CISHARE_URL;
export const USERS = process.env.CISHARE_USERS ? JSON.parse(readFileSync(process.env.CISHARE_USERS, 'utf8')) : {};

// Playwright gives every launch a fresh temporary profile (--user-data-dir)
// of its own; passing one in args is refused, so it is not repeated here.
export const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
	'--disable-dev-shm-usage', '--lang=ja-JP'];

export async function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: CHROME_ARGS,
	});
}

// A fresh, isolated browser context (its own cookie jar) at laptop size.
// Console errors, page errors and CSP violations are collected in ctx.problems.
export async function newContext(browser) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
	context.problems = [];
	context.on('page', p => watch(p, context.problems));
	return context;
}

export function watch(page, problems) {
	page.on('console', m => {
		if (m.type() === 'error' && !/the server responded with a status of (401|403|404|409|400|429)/.test(m.text()))
			problems.push(`console: ${m.text()}`);
	});
	page.on('pageerror', e => problems.push(`pageerror: ${e.message}`));
}

export async function login(context, who) {
	const page = await context.newPage();
	await page.goto(`${URL}/login`);
	await page.fill('#login', who);
	await page.fill('#password', USERS[who].password);
	await page.click('#login-submit');
	await page.waitForSelector('#who');
	return page;
}

export async function shot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	const path = join(SHOTS, `${name}.png`);
	await page.screenshot({ path, fullPage: false });
	return path;
}

// API call with a user's bearer token (test set-up only; the UI itself uses the cookie).
export async function apiAs(who, method, path, body) {
	const resp = await fetch(`${URL}/api/v1${path}`, {
		method,
		headers: { Authorization: `Bearer ${USERS[who].token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await resp.text();
	return { status: resp.status, body: text ? JSON.parse(text) : null };
}

export function assert(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

export class Runner {
	constructor(filter) {
		this.filter = filter;
		this.pass = 0;
		this.fail = 0;
		this.skipped = 0;
	}

	async test(name, fn) {
		if (this.filter.length && !this.filter.some(f => name.includes(f))) {
			this.skipped++;
			return;
		}
		const t0 = Date.now();
		try {
			await fn();
			this.pass++;
			console.log(`PASS: ${name} (${Date.now() - t0} ms)`);
		} catch (e) {
			this.fail++;
			console.log(`FAIL: ${name} (${String(e && e.message ? e.message : e).split('\n').slice(0, 6).join(' | ')})`);
		}
	}

	summary() {
		console.log(`${this.pass} passed, ${this.fail} failed`);
		return this.fail === 0;
	}
}
