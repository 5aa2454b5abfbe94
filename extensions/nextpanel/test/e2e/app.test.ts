// The admin app in real Chromium against the harness's Directus: the connection test, one-form
// customer + hosting provisioning with the password generator, the hosting panel's actions,
// readable errors and the overview module. Every page is photographed to
// test-results/screenshots/.
import { existsSync } from 'node:fs';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { deriveUsername } from '../../src/shared/username.ts';
import { api, createCustomer, harness, rawDatabase, registerServer, sealedPassword, simulator, unique } from '../harness/client.ts';
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

// What the screen showed when a test failed: the quickest way to see why.
afterEach(async (context) => {
	if (context.task.result?.state === 'fail' && page)
		await captureScreen(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
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

/** Opens an account card's "more actions" menu and picks one (destructive actions live there). */
async function fromMenu(username: string, action: string): Promise<void> {
	await card(username).locator('[data-testid=account-menu]').click();
	await page.locator(`.v-menu-content [data-testid=action-${action}]`).click();
}

/**
 * The WCAG contrast ratio of an element's text against the nearest opaque background behind it,
 * with the opacity of its ancestors applied: what a reader actually gets.
 */
async function contrastOf(selector: string): Promise<number> {
	return page
		.locator(selector)
		.first()
		.evaluate((element) => {
			const rgba = (value: string) => (value.match(/[\d.]+/g) ?? ['0', '0', '0', '1']).map(Number) as [number, number, number, number?];
			let background: number[] = [255, 255, 255];
			let opacity = 1;
			for (let node: Element | null = element; node; node = node.parentElement) {
				const style = getComputedStyle(node);
				opacity *= Number(style.opacity);
			}
			for (let node: Element | null = element; node; node = node.parentElement) {
				const [r, g, b, a = 1] = rgba(getComputedStyle(node).backgroundColor);
				if (a >= 0.99) {
					background = [r, g, b];
					break;
				}
			}
			const [r, g, b, a = 1] = rgba(getComputedStyle(element).color);
			const alpha = a * opacity;
			const text = [r, g, b].map((channel, i) => channel * alpha + background[i]! * (1 - alpha));
			const luminance = (rgb: number[]) => {
				const [lr, lg, lb] = rgb.map((c) => {
					const v = c / 255;
					return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
				});
				return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
			};
			const [light, dark] = [luminance(text), luminance(background)].sort((x, y) => y - x);
			return (light! + 0.05) / (dark! + 0.05);
		});
}

/** Whether an input's placeholder fits in its box without being cut. */
async function placeholderFits(selector: string): Promise<boolean> {
	return page
		.locator(selector)
		.first()
		.evaluate((input) => {
			const field = input as HTMLInputElement;
			const style = getComputedStyle(field, '::placeholder');
			const canvas = document.createElement('canvas').getContext('2d')!;
			canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
			const box = getComputedStyle(field);
			const room = field.clientWidth - parseFloat(box.paddingLeft) - parseFloat(box.paddingRight);
			return canvas.measureText(field.placeholder).width <= room;
		});
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

// Each screen is photographed three times (captureScreen), so the longer journeys need more than a minute.
describe('admin app', { timeout: 180_000 }, () => {
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
		// The banner names the outcome; the explanation appears once, at the check that failed.
		expect(await byTestId('connection-test-headline').innerText()).toBe('Permission too low');
		const explanation = await result.locator('[data-check=permission] .message').innerText();
		expect(explanation).toMatch(/SUPER_ADMIN/);
		expect((await result.innerText()).split(explanation).length - 1).toBe(1);
		// The permission check says in words what it does, not "probe_permission 422".
		expect(await result.locator('[data-check=permission] .explained').innerText()).toMatch(/empty create request.*nothing is created/);
		expect(await result.innerText()).not.toMatch(/probe_permission|\b422\b/);
		await result.scrollIntoViewIfNeeded();
		await captureScreen(page, 'connection-test-billing-key', { focus: result });

		await field('api_key').fill(good.key);
		await field('api_secret').fill(good.secret);
		await byTestId('connection-test-run').click();
		await page.waitForSelector('[data-testid=connection-test-result][data-status=ok]');
		const passed = await byTestId('connection-test-result').innerText();
		expect(passed).toMatch(/Connected/);
		expect(passed).toMatch(/NextPanel \d+\.\d+/);
		expect(passed).not.toContain(good.secret);
		await byTestId('connection-test-result').scrollIntoViewIfNeeded();
		await captureScreen(page, 'connection-test', { focus: byTestId('connection-test-result') });

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

		// The recorded check reads as a badge in the test's own words, and its date cannot be cleared.
		await open(`content/nextpanel_servers/${saved!.id}`, '[data-testid=connection-test-run]');
		await expect.poll(() => byTestId('check-status-badge').innerText()).toMatch(/Connected/);
		expect(await page.locator('[data-field=last_check_status] input').count()).toBe(0);
		const checkedAt = page.locator('[data-field=last_check_at]');
		expect(await checkedAt.locator('[data-testid=timestamp-value]').innerText()).toMatch(/\d/);
		// ...and it is the check just recorded, not some other date.
		const recorded = (await api('GET', `/items/nextpanel_servers/${saved!.id}?fields=last_check_at`)).body.data.last_check_at;
		expect(recorded).toMatch(/^\d{4}-\d{2}-\d{2}T/);
		expect(await checkedAt.locator('time').getAttribute('datetime')).toBe(recorded);
		expect(await checkedAt.locator('.clear-icon, .today-icon').count()).toBe(0);
		expect(await page.locator('[data-field=base_url]').innerText()).toMatch(/verified on save.*API secret entered again/s);
		await byTestId('check-status').scrollIntoViewIfNeeded();
		await captureScreen(page, 'server-form', { focus: byTestId('check-status') });

		// Another address: the saved secret is never sent there, so the form asks for it instead of failing.
		const other = { key: unique('npk_moved_'), secret: unique('nps_moved_secret_') };
		await simulator('b').addKey({ ...other, level: 'SUPER_ADMIN' });
		await field('base_url').fill(harness().simulators.b.apiUrl);
		await field('api_key').fill(other.key);
		await byTestId('connection-test-address-note').waitFor();
		const moved = recordRequests('POST', /\/nextpanel\/servers\/[^/]+\/test$/);
		await byTestId('connection-test-run').click();
		const ask = byTestId('connection-test-secret-needed');
		await ask.waitFor();
		expect(await ask.innerText()).toMatch(/only ever sent to the saved address/);
		expect(moved.bodies).toEqual([]);
		await ask.scrollIntoViewIfNeeded();
		await captureScreen(page, 'connection-test-secret-needed', { focus: ask });
		await inputByTestId(page, 'connection-test-secret').fill(other.secret);
		await byTestId('connection-test-secret-run').click();
		await page.waitForSelector('[data-testid=connection-test-result][data-status=ok]');
		moved.stop();
		expect(moved.bodies).toEqual([{ base_url: harness().simulators.b.apiUrl, api_key: other.key, api_secret: other.secret }]);
		// The secret typed for the test is the one the save needs as well.
		expect(await field('api_secret').inputValue()).toBe(other.secret);
		await expect.poll(() => ask.count()).toBe(0);
	});

	test('one form creates the customer and provisions hosting with the generated password; the panel follows it to active', async () => {
		// The most free slots, so the automatic choice lands here whatever other tests registered.
		bigServer = unique('Big UI server ');
		const big = await registerServer({ simulator: 'a', capacity: 1_000_000, name: bigServer });
		const packages = [
			{ id: 1, name: 'Starter', disk_mb: 1024, bandwidth_mb: 10240 },
			{ id: 2, name: 'Business', disk_mb: 10240, bandwidth_mb: 102400 },
		];
		expect((await api('PATCH', `/items/nextpanel_servers/${big.id}`, { body: { packages } })).status).toBe(200);
		const sim = simulator('a');
		// A slow NextPanel, so the panel is seen polling its way from provisioning to active. Not
		// `times: 1`: the scheduled health check probes the same route and could use it up.
		await sim.addFault({ kind: 'latency', ms: 6000, match: { method: 'POST', path: '/api/v1/billing/accounts' } });

		const name = `Ada Lovelace ${unique('')}`;
		await open('content/customers/+', '[data-field="full_name"] input');
		await expect
			.poll(() => byTestId('hosting-flag-note').innerText())
			.toMatch(/Tick to create the customer.s hosting account in the same save/);
		// A new customer has no hosting panel yet: the flag beside the details says what happens.
		expect(await byTestId('provisioning-panel').count()).toBe(0);
		await field('full_name').fill(name);
		await field('email').fill(`${unique('ada')}@example.com`);
		await page.locator('[data-field="provision_hosting"] .v-checkbox').click();
		await byTestId('password-generator').waitFor();
		await expect.poll(() => byTestId('hosting-flag-note').innerText()).toMatch(/created when you save/);

		// One hint under the password, in the form's note style, and a placeholder that fits.
		const passwordField = page.locator('[data-field="hosting_password"]');
		await expect.poll(() => byTestId('password-empty-hint').innerText()).toMatch(/generated on the server/);
		expect(await passwordField.locator('.type-note, small').count()).toBe(1);
		expect(await inputByTestId(page, 'password-input').getAttribute('placeholder')).toBe('Empty: generated on save');
		expect(await placeholderFits('[data-field="hosting_password"] input')).toBe(true);

		// The server picker shows free slots; the chosen server's packages become a dropdown. With
		// "Automatic" it offers the packages every server that can take the account shares: only
		// this one lists packages, so its own.
		await page.locator('[data-field="hosting_package"] [data-testid=package-picker]').waitFor();
		await expect
			.poll(() => page.locator('[data-field="hosting_package"] [data-testid=package-picker]').getAttribute('data-mode'))
			.toBe('shared');
		await page.locator('[data-field="hosting_server"] [data-testid=server-picker-select]').click();
		const bigItem = page.locator('.v-menu-content .v-list-item', { hasText: bigServer });
		await expect.poll(() => bigItem.innerText()).toMatch(/[\d,.\s]+ free/);
		await captureScreen(page, 'customer-form-server-picker');
		await bigItem.click();
		await expect
			.poll(() => page.locator('[data-field="hosting_package"] [data-testid=package-picker]').getAttribute('data-mode'))
			.toBe('list');
		await page.locator('[data-field="hosting_package"] [data-testid=package-picker-select]').click();
		const business = page.locator('.v-menu-content .v-list-item', { hasText: 'Business' });
		expect(await business.innerText()).toMatch(/2 · Business \(10 GB disk, 100 GB traffic\)/);
		await business.click();

		// Generating must not move the controls around it or wrap the strength line.
		const lengthRow = byTestId('password-length');
		const before = await lengthRow.boundingBox();
		await byTestId('password-generate').click();
		const after = await lengthRow.boundingBox();
		expect(Math.abs(after!.y - before!.y)).toBeLessThan(1);
		expect(Math.abs(after!.x - before!.x)).toBeLessThan(1);
		const strengthText = byTestId('password-strength').locator('.strength-text');
		expect((await strengthText.boundingBox())!.height).toBeLessThan(24);
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
		await captureScreen(page, 'customer-form-with-hosting', { focus: byTestId('password-generator') });

		// Not confirmed: the app itself refuses the save, says why, and sends nothing.
		const posts = recordRequests('POST', /\/items\/customers$/);
		await saveButton().click();
		const validation = page.locator('.validation-errors');
		await validation.waitFor();
		expect(await validation.innerText()).toMatch(/Tick "I have saved this password" first/);
		await validation.scrollIntoViewIfNeeded();
		await captureScreen(page, 'customer-save-refused', { focus: validation });
		expect(posts.bodies).toEqual([]);

		await byTestId('password-confirm').click();
		await saveButton().click();
		await page.waitForURL(/content\/customers$/);
		posts.stop();
		expect(posts.bodies).toHaveLength(1);
		const created = posts.bodies[0] as Record<string, unknown>;
		expect(created['hosting_password']).toBe(password);
		expect(created['hosting_server']).toBe(big.id);
		expect(created['hosting_package']).toBe(2);

		const [customer] = (await api('GET', `/items/customers?filter[full_name][_eq]=${encodeURIComponent(name)}&fields=id`)).body.data as {
			id: string;
		}[];
		await openCustomer(customer!.id);
		const account = page.locator('.account-card').first();
		await account.waitFor();
		try {
			expect(['pending', 'provisioning']).toContain(await account.getAttribute('data-status'));
			await expect.poll(() => byTestId('hosting-flag').getAttribute('data-state')).toMatch(/pending|provisioning/);
			await captureScreen(page, 'provisioning-panel-in-progress', { focus: byTestId('provisioning-panel') });
		} finally {
			await sim.clearFaults();
		}
		// No reload: the panel polls while the account is in flight, and the state beside the details follows it.
		await page.waitForSelector('.account-card[data-status=active]', { timeout: 30_000 });
		expect(await account.innerText()).toMatch(/Active/);
		// The outcome also arrives as a toast, once, though the save left the form for the list.
		const [settled] = await hostingAccountsOf(customer!.id);
		const toast = page.getByText(`Hosting account ${settled!.username} is active`);
		await toast.first().waitFor({ timeout: 10_000 });
		expect(await toast.count()).toBe(1);
		await expect.poll(() => byTestId('hosting-flag').getAttribute('data-state')).toBe('active');

		// Provisioned: no checkbox that reads like "provision again on the next save".
		expect(await byTestId('hosting-flag-checkbox').count()).toBe(0);
		expect(await byTestId('hosting-state').innerText()).toMatch(/Hosting is active[\s\S]*does not provision again/);
		// The panel is in view without scrolling, under one heading.
		const panel = (await byTestId('provisioning-panel').boundingBox())!;
		expect(panel.y + 120).toBeLessThan(page.viewportSize()!.height);
		expect(await page.locator('[data-field="hosting_panel"] .field-label').count()).toBe(0);
		expect(await byTestId('provisioning-title').innerText()).toBe('Hosting accounts');
		// Readable values, and no red button on every card: destructive actions sit in the menu.
		expect(await contrastOf('.account-card .facts dd')).toBeGreaterThanOrEqual(4.5);
		expect(await contrastOf('.account-card .facts dt')).toBeGreaterThanOrEqual(3);
		expect(await account.locator('footer').innerText()).not.toMatch(/Terminate|Suspend/);
		expect(await account.innerText()).toMatch(/Package\s+2 · Business/);
		// In a narrow window the panel's header stays one line.
		await page.setViewportSize({ width: 800, height: 1000 });
		try {
			await expect.poll(async () => (await byTestId('provisioning-toolbar').boundingBox())!.height).toBeLessThan(40);
		} finally {
			await page.setViewportSize({ width: 1440, height: 1000 });
		}
		await captureScreen(page, 'provisioning-panel', { focus: byTestId('provisioning-panel') });
		await captureScreen(page, 'customer-form-with-hosting-state');

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
		// "Automatic": the packages every server that could take the account shares, by name.
		await expect.poll(() => byTestId('provision-package-select').getAttribute('data-mode')).toBe('shared');
		await byTestId('provision-server').click();
		await expect.poll(() => page.locator('.v-menu-content .v-list-item', { hasText: bigServer }).innerText()).toMatch(/free/);
		await page.locator('.v-menu-content .v-list-item', { hasText: bigServer }).click();
		// The server lists its packages: a dropdown instead of a bare number.
		await byTestId('provision-package-select').waitFor();
		expect(await byTestId('provision-package-hint').innerText()).toContain(bigServer);
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
		// The state beside the details follows what the panel did.
		await expect.poll(() => byTestId('hosting-flag').getAttribute('data-state')).toBe('active');
	});

	test('suspend, unsuspend and sync usage from the panel', async () => {
		expect(ada, 'needs the customer of the previous test').not.toBeNull();
		await openCustomer(ada!.id);
		await page.waitForSelector(`.account-card[data-username="${ada!.username}"][data-status=active]`);

		await fromMenu(ada!.username, 'suspend');
		await inputByTestId(page, 'suspend-reason').fill('Unpaid invoice');
		await byTestId('suspend-confirm').click();
		await page.waitForSelector(`.account-card[data-username="${ada!.username}"][data-status=suspended]`, { timeout: 15_000 });
		expect(await card(ada!.username).innerText()).toMatch(/Unpaid invoice/);
		await page.locator('[data-testid=provisioning-panel]').scrollIntoViewIfNeeded();
		await captureScreen(page, 'provisioning-panel-suspended', { focus: byTestId('provisioning-panel') });

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
		await captureScreen(page, 'provisioning-panel-usage', { focus: card(ada!.username) });
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
			// Not provisioned: it can be cancelled as well as retried.
			expect(await card(username).locator('[data-testid=action-cancel]').innerText()).toMatch(/Cancel provisioning/);
			await page.locator('[data-testid=provisioning-panel]').scrollIntoViewIfNeeded();
			await captureScreen(page, 'provisioning-error', { focus: byTestId('provisioning-panel') });

			// Waiting for its automatic retry, the account is polled; once the page is left, it is not.
			if ((await card(username).getAttribute('data-status')) === 'pending') {
				expect(await countPanelPolls(ada!.id, 3200)).toBeGreaterThanOrEqual(1);
				await open('nextpanel', '[data-testid=nextpanel-overview]');
				expect(await countPanelPolls(ada!.id, 3200)).toBe(0);
				await openCustomer(ada!.id);
				await card(username).waitFor();
			}

			await sim.clearFaults();
			// Retry recovers it, unless the automatic retry (every second here) gets there first and
			// the button is gone before the click; either way the card must turn active.
			await card(username)
				.locator('[data-testid=action-retry]')
				.click({ timeout: 5_000 })
				.catch((error: unknown) => {
					if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
				});
			await page.waitForSelector(`.account-card[data-username="${username}"][data-status=active]`, { timeout: 30_000 });

			await fromMenu(username, 'terminate');
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

	test('a failed provisioning can be cancelled from its card, and nothing is deleted on NextPanel', async () => {
		const customer = await createCustomer();
		const server = await registerServer({ simulator: 'b', name: unique('Refusing ') });
		const sim = simulator('b');
		// NextPanel refuses the create (4xx): the account fails at once, nothing exists there.
		await sim.addFault({
			kind: 'status',
			status: 400,
			body: { detail: 'Package quota exhausted' },
			match: { method: 'POST', path: '/api/v1/billing/accounts' },
		});
		const username = unique('cancel_me_');
		try {
			const refused = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id, username } });
			// NextPanel's 4xx is an upstream error for the caller (NEXTPANEL_ERROR, 502).
			expect(refused.status).toBe(502);
		} finally {
			await sim.clearFaults();
		}
		await openCustomer(customer.id);
		await card(username).waitFor();
		expect(await card(username).getAttribute('data-status')).toBe('failed');
		await expect.poll(() => byTestId('hosting-flag').getAttribute('data-state')).toBe('failed');
		expect(await byTestId('hosting-state').innerText()).toMatch(
			/provisioning failed[\s\S]*Retry or cancel it in the hosting accounts below/i,
		);
		await captureScreen(page, 'provisioning-failed', { focus: byTestId('hosting-flag') });

		const deletes = recordRequests('POST', /\/nextpanel\/accounts\/[^/]+\/cancel$/);
		await card(username).locator('[data-testid=action-cancel]').click();
		const dialog = byTestId('cancel-dialog');
		await dialog.waitFor();
		expect(await dialog.innerText()).toMatch(/Nothing is deleted on NextPanel/);
		await captureScreen(page, 'cancel-provisioning-dialog');
		await byTestId('cancel-confirm').click();
		await page.waitForSelector(`.account-card[data-username="${username}"][data-status=terminated]`, { timeout: 15_000 });
		deletes.stop();
		expect(deletes.bodies).toEqual([{}]);
		await page.getByText(`Provisioning of ${username} cancelled`).first().waitFor();
		// Only terminated accounts left: the customer can be provisioned on save again.
		await byTestId('hosting-flag-checkbox').waitFor();
	});

	test('a password NextPanel generated and Directus still holds is shown once, then it is gone', async () => {
		expect(ada, 'needs the customer of an earlier test').not.toBeNull();
		const hosting = (await hostingAccountsOf(ada!.id)).find((account) => account.username === ada!.username);
		const held = `Held-${unique('')}-Pw!9`;
		// As after a provisioning with a generated password whose welcome mail has not gone out yet.
		const db = rawDatabase();
		try {
			await db('hosting_accounts')
				.where({ id: hosting!.id })
				.update({ password_ciphertext: sealedPassword(held), revealable: true });
		} finally {
			await db.destroy();
		}
		await openCustomer(ada!.id);
		const reveal = card(ada!.username).locator('[data-testid=action-reveal_password]');
		await reveal.waitFor();
		expect(await card(ada!.username).locator('[data-testid=account-revealable]').innerText()).toMatch(/Show it once/);
		await reveal.click();
		const dialog = page.locator('[data-testid=generated-password-dialog]', { hasText: `Password of ${ada!.username}` });
		await dialog.waitFor();
		expect(await dialog.locator('input').inputValue()).toBe(held);
		const done = dialog.locator('[data-testid=generated-password-done] button, button[data-testid=generated-password-done]').first();
		expect(await done.isDisabled()).toBe(true);
		await dialog.locator('[data-testid=generated-password-copy]').click();
		await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(held);
		expect(await dialog.innerText()).toMatch(/I have saved it/);
		await captureScreen(page, 'reveal-password');
		await dialog.locator('[data-testid=generated-password-confirm]').click();
		await done.click();
		await dialog.waitFor({ state: 'detached' });
		// Gone: the button disappears, and the server answers 410 from now on.
		await expect.poll(() => reveal.count()).toBe(0);
		expect((await api('POST', `/nextpanel/accounts/${hosting!.id}/reveal-password`, { body: {} })).status).toBe(410);
		expect(await page.content()).not.toContain(held);
	});

	test('hosting account dates and fixed fields read as read-only values', async () => {
		expect(ada, 'needs the customer of an earlier test').not.toBeNull();
		const hosting = (await hostingAccountsOf(ada!.id)).find((account) => account.username === ada!.username);
		expect(hosting?.status).toBe('active');
		await open(`content/hosting_accounts/${hosting!.id}`, '[data-field="provisioned_at"]');
		const provisioned = page.locator('[data-field="provisioned_at"]');
		await expect.poll(() => provisioned.locator('[data-testid=timestamp-value]').innerText()).toMatch(/\d/);
		expect(await provisioned.locator('.clear-icon, .today-icon').count()).toBe(0);
		// Formatted in the app's language, like every other date of the bundle.
		const lang = await page.evaluate(() => document.documentElement.lang || navigator.language);
		const iso = (await provisioned.locator('time').getAttribute('datetime'))!;
		const expected = await page.evaluate(
			([value, locale]) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value!)),
			[iso, lang],
		);
		expect(await provisioned.locator('[data-testid=timestamp-value]').innerText()).toBe(expected);
		// An active account keeps its customer, server and username: nothing invites an edit.
		for (const name of ['server', 'username']) {
			await expect
				.poll(() => page.locator(`[data-field="${name}"] :is(.v-input.disabled, .disabled, [disabled])`).count(), { message: name })
				.toBeGreaterThan(0);
		}
		// The customer is shown with a link to it, and without edit or remove icons.
		const owner = page.locator('[data-field="customer"]');
		await expect.poll(() => owner.innerText()).toContain(ada!.name);
		expect(await owner.locator('.item-actions .v-icon').count()).toBeLessThanOrEqual(1);
		expect(await owner.locator('a.item-link').count()).toBe(1);
		await captureScreen(page, 'hosting-account-form');
	});

	test('the overview module lists servers, accounts needing attention and recent calls, and reports a failed retry', async () => {
		const weak = await registerServer({ simulator: 'c', level: 'BILLING', name: unique('Read-only key ') });
		const username = unique('needs_help_');
		const failed = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: weak.id, username } });
		expect(failed.status).toBe(502);

		await open('nextpanel', '[data-testid=nextpanel-overview]');
		// The calls and the servers load independently: wait for each, in whichever order they arrive.
		await page.waitForSelector('[data-testid=calls-table]');
		await expect.poll(() => page.locator('[data-testid=server-card]').count()).toBeGreaterThan(0);
		await page.waitForSelector('[data-testid=attention-list]');
		const attention = byTestId('attention-list');
		await expect.poll(() => attention.innerText()).toContain(username);
		// The failed create is in the call log, in words.
		const failedCreate = byTestId('calls-table').locator('tbody tr[data-action=create_account]', { hasText: username });
		await expect.poll(() => failedCreate.count()).toBeGreaterThan(0);
		expect(await failedCreate.first().innerText()).toMatch(/Account creation[\s\S]*Failed/);
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

	test('the four lists open with the columns an admin needs', async () => {
		// Something in each list, even when this test runs alone.
		const serverName = unique('Listed server ');
		const server = await registerServer({ name: serverName });
		expect((await api('POST', `/nextpanel/servers/${server.id}/test`)).status).toBe(200);
		const customer = await createCustomer();
		const provisioned = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		expect(provisioned.status).toBe(201);
		const headers = async () =>
			(await page.locator('.v-table thead th').allInnerTexts()).map((text) => text.trim()).filter((text) => text.length > 0);
		const lists: [string, string, RegExp[]][] = [
			['content/customers', 'customers-list', [/^Full Name$/, /^Email$/, /^Status$/, /^Hosting/]],
			['content/nextpanel_servers', 'servers-list', [/^Name$/, /URL/i, /^Status$/, /^Capacity$/, /^Accounts$/, /Last Check/]],
			['content/hosting_accounts', 'hosting-accounts-list', [/^Username$/, /^Customer$/, /^Server$/, /^Status$/, /^Provisioned/]],
			['content/nextpanel_logs', 'calls-list', [/^Date Created$|^When$|^Time$/, /^Action$/, /^Server$/, /^Outcome$/]],
		];
		for (const [path, shot, expected] of lists) {
			await open(path, '.v-table tbody tr');
			const shown = await headers();
			for (const header of expected)
				expect(
					shown.some((text) => header.test(text)),
					`${path}: ${header} in ${shown.join(', ')}`,
				).toBe(true);
			expect(
				shown.some((text) => /API Key|API Secret/i.test(text)),
				`${path}: no API key column`,
			).toBe(false);
			await captureScreen(page, shot);
		}
		// A passed check reads as the connection test says it, in the list and in the module.
		await open('content/nextpanel_servers', '.v-table tbody tr');
		await searchList(serverName);
		await expect.poll(() => page.locator('.v-table tbody tr', { hasText: serverName }).innerText()).toMatch(/Connected/);
		await open('nextpanel', '[data-testid=server-card]');
		const serverCard = page.locator(`[data-testid=server-card][data-server="${serverName}"]`);
		expect(await serverCard.locator('[data-testid=server-last-check]').innerText()).toMatch(/· Connected\b/);

		// The customers list says how each customer's hosting is, not how many accounts there are.
		await open('content/customers', '[data-testid=hosting-state-display]');
		await searchList(customer.full_name);
		const row = page.locator('.v-table tbody tr', { hasText: customer.full_name });
		await expect.poll(() => row.locator('[data-testid=hosting-state-display]').getAttribute('data-status')).toBe('active');
		expect(await row.locator('[data-testid=hosting-state-display]').innerText()).toMatch(
			new RegExp(`^Active\\s+${provisioned.body.data.username}$`),
		);
	});
});
