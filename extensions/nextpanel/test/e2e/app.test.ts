// The admin app in real Chromium against the harness's Directus: the connection test, one-form
// customer + hosting provisioning, panel actions, readable errors and the overview module.
// Every page is photographed to test-results/screenshots/.
import { existsSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, createCustomer, harness, registerServer, simulator, unique } from '../harness/client.ts';
import { CHROMIUM, launchBrowser, login, screenshot } from './browser.ts';

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
	expect(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does this)`).toBe(true);
	browser = await launchBrowser();
	page = await login(browser, harness().url, harness().adminEmail, harness().adminPassword);
	page.on('console', (message) => {
		if (message.type() === 'error' && /nextpanel|extensions\/sources/i.test(message.text())) consoleErrors.push(message.text());
	});
});

afterAll(async () => {
	await browser?.close();
});

const field = (name: string) => page.locator(`[data-field="${name}"] input`);
const byTestId = (id: string): Locator => page.locator(`:is(input[data-testid="${id}"], [data-testid="${id}"] input)`);

async function open(path: string, ready: string): Promise<void> {
	await page.goto(`${harness().url}/admin/${path}`);
	await page.waitForSelector(ready, { timeout: 20_000 });
}

async function openCustomer(name: string): Promise<void> {
	await open('content/customers', 'text=Customers');
	await page.getByText(name, { exact: false }).first().click();
	await page.waitForSelector('[data-testid=provisioning-panel]');
}

describe('admin app', () => {
	test('adding a server: the connection test passes for a SUPER_ADMIN key and explains a BILLING key', async () => {
		const sim = simulator('a');
		const good = { key: unique('npk_ui_'), secret: unique('nps_ui_') };
		const billing = { key: unique('npk_bill_'), secret: unique('nps_bill_') };
		await sim.addKey({ ...good, level: 'SUPER_ADMIN' });
		await sim.addKey({ ...billing, level: 'BILLING' });

		await open('content/nextpanel_servers/+', '[data-field="base_url"] input');
		await field('name').fill(unique('UI server '));
		await field('base_url').fill(harness().simulators.a.apiUrl);
		await field('api_key').fill(billing.key);
		await field('api_secret').fill(billing.secret);
		await page.locator('[data-testid=connection-test-run]').click();
		const result = page.locator('[data-testid=connection-test-result]');
		await result.waitFor();
		expect(await result.getAttribute('data-status')).toBe('insufficient_permission');
		await expect.poll(() => result.innerText()).toMatch(/SUPER_ADMIN/);
		expect(await result.locator('[data-check=permission]').getAttribute('class')).toContain('failed');
		expect(await result.locator('[data-check=credentials]').getAttribute('class')).toContain('ok');
		await result.scrollIntoViewIfNeeded();
		await screenshot(page, 'connection-test-billing-key');

		await field('api_key').fill(good.key);
		await field('api_secret').fill(good.secret);
		await page.locator('[data-testid=connection-test-run]').click();
		await page.waitForSelector('[data-testid=connection-test-result][data-status=ok]');
		expect(await page.locator('[data-testid=connection-test-result]').innerText()).toMatch(/Connected/);
		expect(await page.locator('[data-testid=connection-test-result]').innerText()).not.toContain(good.secret);
		await page.locator('[data-testid=connection-test-result]').scrollIntoViewIfNeeded();
		await screenshot(page, 'connection-test');

		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await page.waitForURL(/content\/nextpanel_servers$/);
		await screenshot(page, 'servers');
	});

	test('one form creates the customer and provisions hosting; the panel shows it active', async () => {
		await registerServer({ simulator: 'a' });
		const name = `Ada Lovelace ${unique('')}`;
		await open('content/customers/+', '[data-field="full_name"] input');
		await field('full_name').fill(name);
		await field('email').fill(`${unique('ada')}@example.com`);
		await page.locator('[data-field="provision_hosting"] .v-checkbox').click();
		await page.locator('[data-testid=password-generate]').click();
		const password = await page.locator('[data-field="hosting_password"] input').first().inputValue();
		expect(password).toHaveLength(20);
		expect(await page.locator('[data-testid=password-strength]').innerText()).toMatch(/Very strong/);
		await screenshot(page, 'customer-form-with-hosting');

		// Not confirmed yet: the save is refused with a readable reason and nothing is created.
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await expect.poll(() => page.locator('#dialog-outlet').innerText()).toMatch(/confirm that you have saved the password/);
		await page.getByRole('button', { name: 'Dismiss' }).click();

		await page.locator('[data-testid=password-confirm]').click();
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await page.waitForURL(/content\/customers$/);

		await openCustomer(name);
		const card = page.locator('.account-card').first();
		await page.waitForSelector('.account-card[data-status=active]', { timeout: 20_000 });
		expect(await card.innerText()).toMatch(/Active/);
		await page.locator('[data-testid=provisioning-panel]').scrollIntoViewIfNeeded();
		await screenshot(page, 'provisioning-panel');
	});

	test('suspend and unsuspend from the panel', async () => {
		await openCustomer('Ada Lovelace');
		await page.waitForSelector('.account-card[data-status=active]');
		await page.locator('[data-testid=action-suspend]').first().click();
		await byTestId('suspend-reason').fill('Unpaid invoice');
		await page.locator('[data-testid=suspend-confirm]').click();
		await page.waitForSelector('.account-card[data-status=suspended]', { timeout: 15_000 });
		expect(await page.locator('.account-card').first().innerText()).toMatch(/Unpaid invoice/);
		await page.locator('[data-testid=provisioning-panel]').scrollIntoViewIfNeeded();
		await screenshot(page, 'provisioning-panel-suspended');

		await page.locator('[data-testid=action-unsuspend]').first().click();
		await page.waitForSelector('.account-card[data-status=active]', { timeout: 15_000 });
	});

	test('a NextPanel failure is shown as readable text, not a crash', async () => {
		await registerServer({ simulator: 'b', name: unique('Flaky ') });
		const sim = simulator('b');
		await sim.addFault({ kind: 'status', status: 502, match: { method: 'POST', path: '/api/v1/billing/accounts' } });
		try {
			await openCustomer('Ada Lovelace');
			await page.locator('[data-testid=provision-open]').click();
			await page.locator('[data-testid=provision-server]').click();
			await page.getByText(/Flaky/).first().click();
			await byTestId('provision-username').fill(unique('flaky_'));
			await page.locator('[data-testid=provision-submit]').click();
			const error = page.locator('[data-testid=provision-error]');
			await error.waitFor({ timeout: 20_000 });
			const text = await error.innerText();
			expect(text).toMatch(/NextPanel had a server error/);
			expect(text).toMatch(/502 Bad Gateway/);
			expect(text).not.toMatch(/\[object Object\]|undefined/);
			await screenshot(page, 'provisioning-error');
		} finally {
			await sim.clearFaults();
			await page.keyboard.press('Escape');
		}
	});

	test('the overview module lists servers, accounts needing attention and recent calls', async () => {
		const weak = await registerServer({ simulator: 'c', level: 'BILLING', name: unique('Read-only key ') });
		const username = unique('needs_help_');
		const failed = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: weak.id, username } });
		expect(failed.status).toBe(502);
		await open('nextpanel', '[data-testid=nextpanel-overview]');
		await page.waitForSelector('[data-testid=calls-table]');
		expect(await page.locator('.server').count()).toBeGreaterThan(0);
		await page.waitForSelector('[data-testid=attention-table]');
		expect(await page.locator('[data-testid=attention-table]').innerText()).toContain(username);
		expect(await page.locator('[data-testid=calls-table]').innerText()).toMatch(/create_account/);
		await screenshot(page, 'overview');
		expect(consoleErrors).toEqual([]);
	});
});
