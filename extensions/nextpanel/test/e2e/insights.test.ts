// The NextPanel dashboard in Insights, in real Chromium, on a Directus of its own so that every
// figure on it follows from what this file seeds: three servers, seven hosting accounts that went
// through real provisioning, a suspension, an overdue suspension by the overdue job, a
// termination, a failed create, usage figures from the usage job and a term ending in three days.
// Each panel must show the numbers that history implies; the dashboard is photographed in light
// and dark mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { createSimulator, type Simulator } from '../../../../scripts/simulator/server.ts';
import { captureScreen, collectExtensionErrors, launchBrowser, login } from './browser.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-insights-e2e-'));
const credentials = newCredentials();
let database: TestDatabase;
let directus: BootedDirectus;
let sim: Simulator;
let browser: Browser;
let page: Page;
let extensionErrors: string[] = [];

async function call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
	const response = await fetch(`${directus.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${credentials.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null, text };
}

async function ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
	const answer = await call(method, path, body);
	expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
	return answer.body?.data as T;
}

const day = (offset: number) => {
	const date = new Date();
	date.setDate(date.getDate() + offset);
	return date.toISOString().slice(0, 10);
};

interface Seeded {
	servers: Record<'alpha' | 'beta' | 'gamma', string>;
	accounts: Record<'a1' | 'a2' | 'a3' | 'a4' | 'b1' | 'b2', string>;
	failed: string;
	dashboard: string;
}
let seeded: Seeded;

async function server(name: string, key: string, secret: string, capacity: number): Promise<string> {
	return (
		await ok<{ id: string }>('POST', '/items/nextpanel_servers', {
			name,
			base_url: sim.apiUrl,
			api_key: key,
			api_secret: secret,
			capacity,
			status: 'active',
		})
	).id;
}

async function provision(serverId: string, name: string): Promise<{ id: string; remote: number }> {
	const customer = await ok<{ id: string }>('POST', '/items/customers', {
		full_name: name,
		email: `${name.toLowerCase().replace(/\W/g, '')}@example.com`,
	});
	const account = await ok<{ id: string; status: string; nextpanel_account_id: number }>('POST', '/nextpanel/accounts', {
		customer: customer.id,
		server: serverId,
	});
	expect(account.status).toBe('active');
	return { id: account.id, remote: account.nextpanel_account_id };
}

beforeAll(async () => {
	database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', tmp);
	sim = await createSimulator({
		port: 0,
		controlPort: 0,
		keys: [
			{ key: 'npk_alpha', secret: 'nps_alpha_secret', level: 'SUPER_ADMIN' },
			{ key: 'npk_beta', secret: 'nps_beta_secret', level: 'SUPER_ADMIN' },
			// May read, may not create: every create on Gamma fails with 403.
			{ key: 'npk_gamma', secret: 'nps_gamma_secret', level: 'BILLING' },
		],
	});
	directus = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name: 'insights-e2e',
		prepare: true,
		env: { NEXTPANEL_WELCOME_MAIL: 'false' },
	});

	// Claimed, as `npm start` does, so Directus 12's licence dialog does not cover the dashboard.
	await ok('PATCH', '/settings', { project_owner: credentials.adminEmail, project_usage: 'personal' });
	const servers = {
		alpha: await server('Alpha', 'npk_alpha', 'nps_alpha_secret', 10),
		beta: await server('Beta', 'npk_beta', 'nps_beta_secret', 5),
		gamma: await server('Gamma', 'npk_gamma', 'nps_gamma_secret', 3),
	};
	for (const id of [servers.alpha, servers.beta]) await ok('POST', `/nextpanel/servers/${id}/test`);

	const [a1, a2, a3, a4, b1, b2] = [
		await provision(servers.alpha, 'Ada Lovelace'),
		await provision(servers.alpha, 'Grace Hopper'),
		await provision(servers.alpha, 'Katherine Johnson'),
		await provision(servers.alpha, 'Hedy Lamarr'),
		await provision(servers.beta, 'Alan Turing'),
		await provision(servers.beta, 'Edsger Dijkstra'),
	] as const;
	const customer = await ok<{ id: string }>('POST', '/items/customers', { full_name: 'Barbara Liskov', email: 'barbara@example.com' });
	const refused = await call('POST', '/nextpanel/accounts', { customer: customer.id, server: servers.gamma });
	expect(refused.status, refused.text).toBeGreaterThanOrEqual(400);
	const failed = refused.body.errors[0].extensions.hosting_account as string;
	expect((await ok<{ status: string }>('GET', `/items/hosting_accounts/${failed}`)).status).toBe('failed');

	await ok('POST', `/nextpanel/accounts/${a3.id}/suspend`, { reason: 'abuse report' });
	await ok('POST', `/nextpanel/accounts/${a4.id}/terminate`, {});
	// A term that ended ten days ago: the overdue job suspends it (3 days is the default).
	await ok('PATCH', `/items/hosting_accounts/${a2.id}`, { paid_until: day(-10) });
	expect(await ok('POST', '/nextpanel/jobs/overdue', {})).toMatchObject({ job: 'overdue', failed: 0 });
	expect((await ok<{ status: string; overdue_suspended_at: string | null }>('GET', `/items/hosting_accounts/${a2.id}`)).status).toBe(
		'suspended',
	);
	// A term that ends in three days: due within 7.
	await ok('PATCH', `/items/hosting_accounts/${a1.id}`, { paid_until: day(3) });

	const control = new SimulatorControl(sim.controlUrl);
	const usage = (disk: number, bandwidth: number) => ({
		disk_used_mb: disk,
		disk_limit_mb: 1000,
		bandwidth_used_mb: bandwidth,
		bandwidth_limit_mb: 10_000,
	});
	await control.setUsage(a1.remote, usage(900, 100)); // 90 % of its disk
	await control.setUsage(b1.remote, usage(100, 6_000)); // 60 % of its bandwidth
	await control.setUsage(b2.remote, usage(300, 100)); // 30 % of its disk
	await control.setUsage(a2.remote, usage(10, 10));
	await control.setUsage(a3.remote, usage(10, 10));
	await ok('POST', '/nextpanel/jobs/usage');

	const [dashboard] = await ok<{ id: string }[]>('GET', '/dashboards?filter[name][_eq]=NextPanel&fields=id');
	seeded = { servers, accounts: { a1: a1.id, a2: a2.id, a3: a3.id, a4: a4.id, b1: b1.id, b2: b2.id }, failed, dashboard: dashboard!.id };

	browser = await launchBrowser();
	page = await login(browser, directus.url, credentials.adminEmail, credentials.adminPassword);
	extensionErrors = collectExtensionErrors(page);
	await page.goto(`${directus.url}/admin/insights/${seeded.dashboard}`);
	await page.waitForFunction(() => document.querySelectorAll('[data-insight-state="ready"]').length === 5, undefined, { timeout: 30_000 });
}, 400_000);

afterAll(async () => {
	await browser?.close();
	await directus?.stop();
	await sim?.close();
	await database?.drop();
	rmSync(tmp, { recursive: true, force: true });
});

const attribute = async (selector: string, name: string) => page.locator(selector).first().getAttribute(name);

describe('the NextPanel dashboard', () => {
	test('accounts by status: three active, two suspended (one of them overdue), one failed, one terminated, one due within 7 days', async () => {
		const counts: Record<string, string | null> = {};
		for (const status of ['total', 'active', 'suspended', 'failed', 'pending', 'provisioning', 'terminated', 'overdue', 'due_in_7_days']) {
			counts[status] = await attribute(`[data-status="${status}"][data-count]`, 'data-count');
		}
		expect(counts).toEqual({
			total: '7',
			active: '3',
			suspended: '2',
			failed: '1',
			pending: '0',
			provisioning: '0',
			terminated: '1',
			overdue: '1',
			due_in_7_days: '1',
		});
		await expect.poll(() => page.locator('[data-status="active"][data-count]').first().textContent()).toBe('3');
	});

	test('server capacity: the slots each server holds against its capacity, and its health', async () => {
		const row = (id: string) => `li[data-server="${id}"]`;
		const read = async (id: string) => ({
			used: await attribute(row(id), 'data-used'),
			capacity: await attribute(row(id), 'data-capacity'),
			health: await attribute(row(id), 'data-health'),
		});
		expect(await read(seeded.servers.alpha)).toEqual({ used: '3', capacity: '10', health: 'ok' });
		expect(await read(seeded.servers.beta)).toEqual({ used: '2', capacity: '5', health: 'ok' });
		// Never tested; its failed create does not hold a slot.
		expect(await read(seeded.servers.gamma)).toEqual({ used: '0', capacity: '3', health: 'none' });
		await expect.poll(() => page.locator(row(seeded.servers.alpha)).textContent()).toMatch(/Alpha.*3 of 10/s);
	});

	test("provisioning over time: today's bucket holds six created, one failed and one terminated", async () => {
		const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA').format(new Date()));
		const cell = (series: string) => page.locator(`td[data-bucket="${today}"][data-series="${series}"]`).first().textContent();
		expect({
			created: await cell('created'),
			failed: await cell('failed'),
			retried: await cell('retried'),
			terminated: await cell('terminated'),
		}).toEqual({
			created: '6',
			failed: '1',
			retried: '0',
			terminated: '1',
		});
		// The other days of the range are empty: the totals are today's.
		expect(await attribute('[data-legend="created"]', 'data-total')).toBe('6');
		expect(await attribute('[data-legend="terminated"]', 'data-total')).toBe('1');
	});

	test('usage near limits: the account at 90 % of its disk first, then the one at 60 % of its bandwidth, each linking to its account', async () => {
		const rows = page.locator('tr[data-account]');
		expect(await rows.nth(0).getAttribute('data-account')).toBe(seeded.accounts.a1);
		expect(await rows.nth(0).getAttribute('data-percent')).toBe('90');
		expect(await rows.nth(0).getAttribute('data-leading')).toBe('disk');
		expect(await rows.nth(1).getAttribute('data-account')).toBe(seeded.accounts.b1);
		expect(await rows.nth(1).getAttribute('data-percent')).toBe('60');
		expect(await rows.nth(1).getAttribute('data-leading')).toBe('bandwidth');
		expect(await rows.nth(2).getAttribute('data-account')).toBe(seeded.accounts.b2);
		expect(await rows.nth(0).locator(`a[href*="hosting_accounts/${seeded.accounts.a1}"]`).count()).toBe(1);
	});

	test('failures and calls: the one failed call is the create on Gamma, and it links to its call', async () => {
		const failedOn = async (id: string) => attribute(`tr[data-server="${id}"]`, 'data-failed');
		expect(await failedOn(seeded.servers.alpha)).toBe('0');
		expect(await failedOn(seeded.servers.beta)).toBe('0');
		expect(await failedOn(seeded.servers.gamma)).toBe('1');
		const errors = page.locator('li[data-call]');
		expect(await errors.count()).toBe(1);
		expect(await errors.first().getAttribute('data-action')).toBe('create_account');
		// Alpha's calls: four creates, a suspend, an overdue suspend, a delete, the connection test, usage reads.
		expect(Number(await attribute(`tr[data-server="${seeded.servers.alpha}"]`, 'data-calls'))).toBeGreaterThanOrEqual(7);
	});

	test('looks native in light and dark mode, and the bundle logged no error', async () => {
		// Tall enough for the whole dashboard.
		await page.setViewportSize({ width: 1440, height: 1300 });
		await captureScreen(page, 'insights-dashboard');
		expect(extensionErrors).toEqual([]);
	});
});
