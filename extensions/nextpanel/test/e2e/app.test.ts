// The admin app in real Chromium against the harness's Directus: the connection test, one-form
// customer + hosting provisioning with the password generator, the hosting panel's actions,
// readable errors and the overview module. Every page is photographed to
// test-results/screenshots/.
import { existsSync } from 'node:fs';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deriveUsername } from '../../src/shared/username.ts';
import { api, createCustomer, harness, registerServer, simulator, unique } from '../harness/client.ts';
import { captureScreen, CHROMIUM, collectExtensionErrors, inputByTestId, launchBrowser, login } from './browser.ts';

let browser: Browser;
let page: Page;
let extensionErrors: string[] = [];

beforeAll(async () => {
	expect(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does this)`).toBe(true);
	browser = await launchBrowser();
	page = await login(browser, harness().url, harness().adminEmail, harness().adminPassword);
	extensionErrors = collectExtensionErrors(page);
});

afterAll(async () => {
	await browser?.close();
});

const LOOK_ALIKES = /[Il1O0o|]/;
const field = (name: string) => page.locator(`[data-field="${name}"] input`).first();
const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`).first();
/** v-button puts attributes on its wrapper; the real <button> knows whether it is disabled. */
const buttonByTestId = (id: string) => page.locator(`:is(button[data-testid="${id}"], [data-testid="${id}"] button)`).first();
const card = (username: string) => page.locator(`.account-card[data-username="${username}"]`);
const saveButton = () => page.getByRole('button', { name: 'Save', exact: true });

async function open(path: string, ready: string): Promise<void> {
	await page.goto(`${harness().url}/admin/${path}`);
	await page.waitForSelector(ready, { timeout: 20_000 });
}

async function openCustomer(id: string): Promise<void> {
	await open(`content/customers/${id}`, '[data-testid=provisioning-toolbar]');
}

/** Types into the collection list's search box and waits for the list to reload with the matches. */
async function searchList(text: string): Promise<void> {
	const search = page.locator('.search-input').first();
	await search.click();
	const reloaded = page.waitForResponse((response) => /\/items\//.test(response.url()) && response.url().includes('search='));
	await search.locator('input').fill(text);
	await reloaded;
}

/** Counts GET requests for one customer's hosting accounts (what the panel polls) during `ms`. */
async function countPanelPolls(customer: string, ms: number): Promise<number> {
	let count = 0;
	const listener = (request: Request) => {
		const url = new URL(request.url());
		if (request.method() === 'GET' && url.pathname.endsWith('/items/hosting_accounts') && url.search.includes(customer)) count++;
	};
	page.on('request', listener);
	await page.waitForTimeout(ms);
	page.off('request', listener);
	return count;
}

/** Records the JSON bodies of matching requests the page sends from now on. */
function recordRequests(method: string, path: RegExp): { bodies: unknown[]; stop: () => void } {
	const bodies: unknown[] = [];
	const listener = (request: Request) => {
		if (request.method() === method && path.test(new URL(request.url()).pathname)) bodies.push(request.postDataJSON());
	};
	page.on('request', listener);
	return { bodies, stop: () => page.off('request', listener) };
}

async function hostingAccountsOf(
	customer: string,
): Promise<{ id: string; username: string; status: string; nextpanel_account_id: number | null }[]> {
	const response = await api(
		'GET',
		`/items/hosting_accounts?filter[customer][_eq]=${customer}&fields=id,username,status,nextpanel_account_id`,
	);
	return response.body.data;
}

describe('admin app', () => {
	let ada: { id: string; name: string; username: string; password: string } | null = null;
	let grace: { id: string; name: string } | null = null;
	let bigServer = '';

	test('adding a server: the connection test explains a BILLING key, passes for a SUPER_ADMIN key, and never sends a saved secret', async () => {
		const sim = simulator('a');
		const good = { key: unique('npk_ui_'), secret: unique('nps_ui_secret_') };
		const billing = { key: unique('npk_bill_'), secret: unique('nps_bill_secret_') };
		await sim.addKey({ ...good, level: 'SUPER_ADMIN' });
		await sim.addKey({ ...billing, level: 'BILLING' });

		await open('content/nextpanel_servers/+', '[data-field="base_url"] input');
		expect(await buttonByTestId('connection-test-run').isDisabled()).toBe(true);
		const name = unique('UI server ');
		await field('name').fill(name);
		await field('base_url').fill(harness().simulators.a.apiUrl);
		await field('api_key').fill(billing.key);
		await field('api_secret').fill(billing.secret);
		await byTestId('connection-test-run').click();
		const result = byTestId('connection-test-result');
		await result.waitFor();
		expect(await result.getAttribute('data-status')).toBe('insufficient_permission');
		expect(await result.innerText()).toMatch(/SUPER_ADMIN/);
		expect(await result.locator('[data-check=reachable]').getAttribute('class')).toContain('ok');
		expect(await result.locator('[data-check=credentials]').getAttribute('class')).toContain('ok');
		expect(await result.locator('[data-check=permission]').getAttribute('class')).toContain('failed');
		expect(await result.locator('[data-check=version]').getAttribute('class')).toContain('skipped');
		expect(await result.innerText()).toMatch(/\d+ ms/);
		await result.scrollIntoViewIfNeeded();
		await captureScreen(page, 'connection-test-billing-key');

		await field('api_key').fill(good.key);
		await field('api_secret').fill(good.secret);
		await byTestId('connection-test-run').click();
		await page.waitForSelector('[data-testid=connection-test-result][data-status=ok]');
		const passed = await byTestId('connection-test-result').innerText();
		expect(passed).toMatch(/Connected/);
		expect(passed).toMatch(/NextPanel \d+\.\d+/);
		expect(passed).not.toContain(good.secret);
		await byTestId('connection-test-result').scrollIntoViewIfNeeded();
		await captureScreen(page, 'connection-test');

		await saveButton().click();
		await page.waitForURL(/content\/nextpanel_servers$/);
		// The list is sorted by name, so a new server may be on any page: look it up like a person would.
		await searchList(name);
		await page.locator('.v-table tbody tr', { hasText: name }).first().waitFor();
		await captureScreen(page, 'servers');

		// The saved server: its secret is concealed, and testing it sends no credentials at all.
		const [saved] = (await api('GET', `/items/nextpanel_servers?filter[name][_eq]=${encodeURIComponent(name)}&fields=id`)).body.data as {
			id: string;
		}[];
		await open(`content/nextpanel_servers/${saved!.id}`, '[data-testid=connection-test-run]');
		expect(await field('api_secret').inputValue()).not.toContain(good.secret);
		const sent = recordRequests('POST', /\/nextpanel\/servers\/[^/]+\/test$/);
		await byTestId('connection-test-run').click();
		await page.waitForSelector('[data-testid=connection-test-result][data-status=ok]');
		// An unsaved change to the key alone: only the key travels, the saved secret stays on the server.
		await field('api_key').fill(billing.key);
		await byTestId('connection-test-run').click();
		await page.waitForSelector('[data-testid=connection-test-result]:not([data-status=ok])');
		sent.stop();
		expect(sent.bodies).toEqual([{}, { api_key: billing.key }]);
		expect(await byTestId('connection-test-result').innerText()).not.toContain(good.secret);
	});

	test('one form creates the customer and provisions hosting with the generated password; the panel follows it to active', async () => {
		// The most free slots, so the automatic choice lands here whatever other tests registered.
		bigServer = unique('Big UI server ');
		await registerServer({ simulator: 'a', capacity: 1_000_000, name: bigServer });
		const sim = simulator('a');
		// A slow NextPanel, so the panel is seen polling its way from provisioning to active. Not
		// `times: 1`: the scheduled health check probes the same route and could use it up.
		await sim.addFault({ kind: 'latency', ms: 6000, match: { method: 'POST', path: '/api/v1/billing/accounts' } });

		const name = `Ada Lovelace ${unique('')}`;
		await open('content/customers/+', '[data-field="full_name"] input');
		await expect.poll(() => byTestId('provisioning-new-note').innerText()).toMatch(/Tick "Provision a NextPanel hosting account on save"/);
		await field('full_name').fill(name);
		await field('email').fill(`${unique('ada')}@example.com`);
		await page.locator('[data-field="provision_hosting"] .v-checkbox').click();
		await byTestId('password-generator').waitFor();
		await expect.poll(() => byTestId('provisioning-new-note').innerText()).toMatch(/provisioned when you save/);
		await expect.poll(() => byTestId('password-empty-hint').innerText()).toMatch(/generated on the server/);

		await byTestId('password-generate').click();
		const input = inputByTestId(page, 'password-input');
		let password = await input.inputValue();
		expect(password).toHaveLength(20);
		expect(await byTestId('password-strength').getAttribute('data-label')).toBe('very_strong');
		expect(await input.getAttribute('type')).toBe('text');
		await byTestId('password-toggle').click();
		expect(await input.getAttribute('type')).toBe('password');
		await byTestId('password-toggle').click();

		// Longer, without look-alikes: both regenerate the generated password.
		const slider = byTestId('password-generator').locator('input[type=range]');
		await slider.focus();
		for (let i = 0; i < 4; i++) await slider.press('ArrowRight');
		expect(await byTestId('password-length').innerText()).toBe('Length 24');
		await byTestId('password-exclude-look-alikes').click();
		password = await input.inputValue();
		expect(password).toHaveLength(24);
		expect(password).not.toMatch(LOOK_ALIKES);

		await byTestId('password-copy').click();
		await expect.poll(() => byTestId('password-copy').getAttribute('data-copied')).toBe('true');
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password);
		await page.getByText('Password copied to the clipboard').first().waitFor();
		await byTestId('password-unconfirmed').waitFor();
		await captureScreen(page, 'customer-form-with-hosting');

		// Not confirmed: the app itself refuses the save, says why, and sends nothing.
		const posts = recordRequests('POST', /\/items\/customers$/);
		await saveButton().click();
		const validation = page.locator('.validation-errors');
		await validation.waitFor();
		expect(await validation.innerText()).toMatch(/Tick "I have saved this password" first/);
		await validation.scrollIntoViewIfNeeded();
		await captureScreen(page, 'customer-save-refused');
		expect(posts.bodies).toEqual([]);

		await byTestId('password-confirm').click();
		await saveButton().click();
		await page.waitForURL(/content\/customers$/);
		posts.stop();
		expect(posts.bodies).toHaveLength(1);
		const created = posts.bodies[0] as Record<string, unknown>;
		expect(created['hosting_password']).toBe(password);

		const [customer] = (await api('GET', `/items/customers?filter[full_name][_eq]=${encodeURIComponent(name)}&fields=id`)).body.data as {
			id: string;
		}[];
		await openCustomer(customer!.id);
		const account = page.locator('.account-card').first();
		await account.waitFor();
		try {
			expect(['pending', 'provisioning']).toContain(await account.getAttribute('data-status'));
			await page.locator('[data-testid=provisioning-panel]').scrollIntoViewIfNeeded();
			await captureScreen(page, 'provisioning-panel-in-progress');
		} finally {
			await sim.clearFaults();
		}
		// No reload: the panel polls while the account is in flight.
		await page.waitForSelector('.account-card[data-status=active]', { timeout: 30_000 });
		expect(await account.innerText()).toMatch(/Active/);
		await captureScreen(page, 'provisioning-panel');

		const [hosting] = await hostingAccountsOf(customer!.id);
		expect(hosting!.status).toBe('active');
		expect(await sim.verifyPassword(hosting!.nextpanel_account_id!, password)).toBe(true);
		ada = { id: customer!.id, name, username: hosting!.username, password };
	});

	test('switching provisioning off after generating a password lets the form save without hosting', async () => {
		const name = `Grace Hopper ${unique('')}`;
		await open('content/customers/+', '[data-field="full_name"] input');
		await field('full_name').fill(name);
		await field('email').fill(`${unique('grace')}@example.com`);
		await page.locator('[data-field="provision_hosting"] .v-checkbox').click();
		await byTestId('password-generate').click();
		await page.locator('[data-field="provision_hosting"] .v-checkbox').click();
		await byTestId('password-generator').waitFor({ state: 'detached' });
		await saveButton().click();
		await page.waitForURL(/content\/customers$/);
		const [customer] = (await api('GET', `/items/customers?filter[full_name][_eq]=${encodeURIComponent(name)}&fields=id`)).body.data as {
			id: string;
		}[];
		expect(await hostingAccountsOf(customer!.id)).toEqual([]);
		grace = { id: customer!.id, name };
	});

	test('the panel provisions an existing customer; a password NextPanel generated is shown once, to copy and confirm', async () => {
		expect(grace, 'needs the customer of the previous test').not.toBeNull();
		await openCustomer(grace!.id);
		await expect.poll(() => byTestId('provisioning-panel').innerText()).toMatch(/no hosting account yet/);
		await byTestId('provision-open').click();
		await byTestId('provision-drawer').waitFor();
		await expect.poll(() => inputByTestId(page, 'provision-username').inputValue()).toBe(deriveUsername({ full_name: grace!.name }));
		await byTestId('provision-server').click();
		await page.locator('.v-menu-content .v-list-item', { hasText: bigServer }).click();
		await byTestId('provision-submit').click();

		const dialog = byTestId('generated-password-dialog');
		await dialog.waitFor({ timeout: 30_000 });
		const password = await inputByTestId(page, 'generated-password').inputValue();
		expect(password.length).toBeGreaterThanOrEqual(12);
		expect(await buttonByTestId('generated-password-done').isDisabled()).toBe(true);
		await byTestId('generated-password-copy').click();
		await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(password);
		await captureScreen(page, 'generated-password');
		await byTestId('generated-password-confirm').click();
		await buttonByTestId('generated-password-done').click();
		await dialog.waitFor({ state: 'detached' });

		const [hosting] = await hostingAccountsOf(grace!.id);
		await page.waitForSelector(`.account-card[data-username="${hosting!.username}"][data-status=active]`);
		expect(await simulator('a').verifyPassword(hosting!.nextpanel_account_id!, password)).toBe(true);
		// Shown once: nothing on the page keeps it.
		expect(await page.content()).not.toContain(password);
	});

	test('suspend, unsuspend and sync usage from the panel', async () => {
		expect(ada, 'needs the customer of the previous test').not.toBeNull();
		await openCustomer(ada!.id);
		await page.waitForSelector(`.account-card[data-username="${ada!.username}"][data-status=active]`);

		await card(ada!.username).locator('[data-testid=action-suspend]').click();
		await inputByTestId(page, 'suspend-reason').fill('Unpaid invoice');
		await byTestId('suspend-confirm').click();
		await page.waitForSelector(`.account-card[data-username="${ada!.username}"][data-status=suspended]`, { timeout: 15_000 });
		expect(await card(ada!.username).innerText()).toMatch(/Unpaid invoice/);
		await page.locator('[data-testid=provisioning-panel]').scrollIntoViewIfNeeded();
		await captureScreen(page, 'provisioning-panel-suspended');

		await card(ada!.username).locator('[data-testid=action-unsuspend]').click();
		await page.waitForSelector(`.account-card[data-username="${ada!.username}"][data-status=active]`, { timeout: 15_000 });

		const [hosting] = await hostingAccountsOf(ada!.id);
		await simulator('a').setUsage(hosting!.nextpanel_account_id!, {
			disk_used_mb: 512,
			disk_limit_mb: 1024,
			bandwidth_used_mb: 9216,
			bandwidth_limit_mb: 10240,
		});
		await card(ada!.username).locator('[data-testid=action-sync]').click();
		const disk = card(ada!.username).locator('[data-usage=Disk]');
		await expect.poll(() => disk.innerText()).toMatch(/512 MB \/ 1\.0 GB \(50%\)/);
		const bandwidth = card(ada!.username).locator('[data-usage=Bandwidth]');
		expect(await bandwidth.innerText()).toMatch(/9\.0 GB \/ 10\.0 GB \(90%\)/);
		expect(await bandwidth.getAttribute('class')).toContain('high');
		await captureScreen(page, 'provisioning-panel-usage');
	});

	test('a NextPanel error page is shown as readable text; retry and terminate recover from it', async () => {
		expect(ada, 'needs the customer of the previous test').not.toBeNull();
		const flakyName = unique('Flaky ');
		const retiredName = unique('Retired ');
		await registerServer({ simulator: 'b', name: flakyName });
		await registerServer({ simulator: 'c', name: retiredName, status: 'disabled' });
		const sim = simulator('b');
		await sim.addFault({ kind: 'html', status: 502, match: { method: 'POST', path: '/api/v1/billing/accounts' } });
		try {
			await openCustomer(ada!.id);
			await byTestId('provision-open').click();
			await byTestId('provision-drawer').waitFor();
			// The next free name after the customer's first account.
			const base = deriveUsername({ full_name: ada!.name });
			await expect.poll(() => inputByTestId(page, 'provision-username').inputValue()).toBe(`${base}2`);

			await byTestId('provision-server').click();
			const retired = page.locator('.v-menu-content .v-list-item', { hasText: retiredName });
			expect(await retired.getAttribute('class')).toContain('disabled');
			await expect.poll(() => retired.innerText()).toMatch(/disabled/);
			await page.locator('.v-menu-content .v-list-item', { hasText: flakyName }).click();

			await inputByTestId(page, 'provision-username').fill('Bad-Name');
			await expect.poll(() => byTestId('provision-username-hint').innerText()).toMatch(/must start with a lowercase letter/);
			expect(await buttonByTestId('provision-submit').isDisabled()).toBe(true);
			const username = unique('flaky_');
			await inputByTestId(page, 'provision-username').fill(username);
			expect(await buttonByTestId('provision-submit').isDisabled()).toBe(false);
			await captureScreen(page, 'provision-drawer');

			await byTestId('provision-submit').click();
			const error = byTestId('action-error');
			await error.waitFor({ timeout: 30_000 });
			const text = await error.innerText();
			expect(text).toMatch(/NextPanel/);
			expect(text).toMatch(/502/);
			expect(text).not.toMatch(/<\/?[a-z]+|\[object Object\]|undefined/i);
			await card(username).waitFor();
			expect(['failed', 'pending']).toContain(await card(username).getAttribute('data-status'));
			expect(await card(username).locator('[data-testid=account-error]').innerText()).not.toMatch(/<\/?[a-z]+/i);
			await page.locator('[data-testid=provisioning-panel]').scrollIntoViewIfNeeded();
			await captureScreen(page, 'provisioning-error');

			// Waiting for its automatic retry, the account is polled; once the page is left, it is not.
			if ((await card(username).getAttribute('data-status')) === 'pending') {
				expect(await countPanelPolls(ada!.id, 3200)).toBeGreaterThanOrEqual(1);
				await open('nextpanel', '[data-testid=nextpanel-overview]');
				expect(await countPanelPolls(ada!.id, 3200)).toBe(0);
				await openCustomer(ada!.id);
				await card(username).waitFor();
			}

			await sim.clearFaults();
			await card(username).locator('[data-testid=action-retry]').click();
			await page.waitForSelector(`.account-card[data-username="${username}"][data-status=active]`, { timeout: 30_000 });

			await card(username).locator('[data-testid=action-terminate]').click();
			const confirm = buttonByTestId('terminate-confirm');
			expect(await confirm.isDisabled()).toBe(true);
			await inputByTestId(page, 'terminate-username').fill(username.slice(0, -1));
			expect(await confirm.isDisabled()).toBe(true);
			await inputByTestId(page, 'terminate-username').fill(username);
			await confirm.click();
			await page.waitForSelector(`.account-card[data-username="${username}"][data-status=terminated]`, { timeout: 15_000 });
		} finally {
			await sim.clearFaults();
		}
	});

	test('the overview module lists servers, accounts needing attention and recent calls, and reports a failed retry', async () => {
		const weak = await registerServer({ simulator: 'c', level: 'BILLING', name: unique('Read-only key ') });
		const username = unique('needs_help_');
		const failed = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: weak.id, username } });
		expect(failed.status).toBe(502);

		await open('nextpanel', '[data-testid=nextpanel-overview]');
		await page.waitForSelector('[data-testid=calls-table]');
		expect(await page.locator('[data-testid=server-card]').count()).toBeGreaterThan(0);
		await page.waitForSelector('[data-testid=attention-list]');
		const attention = byTestId('attention-list');
		await expect.poll(() => attention.innerText()).toContain(username);
		await expect.poll(() => byTestId('calls-table').innerText()).toMatch(/create_account/);
		await captureScreen(page, 'overview');

		await byTestId(`retry-${username}`).click();
		await page.getByText(`Retrying ${username} failed`).first().waitFor({ timeout: 20_000 });
		expect(await page.getByText(`Retrying ${username} failed`).first().innerText()).toMatch(/SUPER_ADMIN/);
		await captureScreen(page, 'overview-retry-failed');

		await attention.getByRole('link', { name: username }).click();
		await page.waitForURL(/content\/customers\/[0-9a-f-]{36}$/);
		await card(username).waitFor();
		expect(extensionErrors).toEqual([]);
	});
});
