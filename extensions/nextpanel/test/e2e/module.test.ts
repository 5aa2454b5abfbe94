// The NextPanel module in real Chromium against the harness's Directus: the overview and its call
// log, the import wizard and the drift section of a server. The import and drift tests run
// against a simulator of their own, so "every account on the server" is exactly what they seed;
// changes "in NextPanel's admin" go through its control API. Every screen is photographed at
// 1440 px, 800 px and in dark mode to test-results/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { createSimulator, type Simulator } from '../../../../scripts/simulator/server.ts';
import { api, createCustomer, harness, unique } from '../harness/client.ts';
import { CHROMIUM, collectExtensionErrors, launchBrowser, login, SCREENSHOTS } from './browser.ts';

let browser: Browser;
let page: Page;
let extensionErrors: string[] = [];
const simulators: Simulator[] = [];

beforeAll(async () => {
	expect(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does this)`).toBe(true);
	browser = await launchBrowser();
	page = await login(browser, harness().url, harness().adminEmail, harness().adminPassword);
	extensionErrors = collectExtensionErrors(page);
});

afterAll(async () => {
	await browser?.close();
	await Promise.all(simulators.map((sim) => sim.close()));
});

// What the page showed when a test failed, to judge the failure by.
afterEach(async (context) => {
	if (context.task.result?.state === 'fail' && page) await shoot(`failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`).first();
const buttonByTestId = (id: string) => page.locator(`:is(button[data-testid="${id}"], [data-testid="${id}"] button)`).first();

async function open(path: string, ready: string): Promise<void> {
	await page.goto(`${harness().url}/admin/${path}`);
	try {
		await page.waitForSelector(ready, { timeout: 20_000 });
	} catch (error) {
		await shoot(`failed-${path.replace(/\W+/g, '-')}`);
		throw error;
	}
}

/** A simulator of this file's own with a SUPER_ADMIN key, registered in Directus as a server. */
async function ownServer(name: string, capacity = 1000): Promise<{ id: string; name: string; sim: Simulator; control: SimulatorControl }> {
	const key = { key: unique('npk_module_'), secret: unique('nps_module_secret_') };
	const sim = await createSimulator({ port: 0, controlPort: 0, keys: [{ ...key, level: 'SUPER_ADMIN' }] });
	simulators.push(sim);
	const created = await api('POST', '/items/nextpanel_servers', {
		body: { name, base_url: sim.apiUrl, api_key: key.key, api_secret: key.secret, capacity, status: 'active' },
	});
	expect(created.status).toBe(200);
	return { id: created.body.data.id, name, sim, control: new SimulatorControl(sim.controlUrl) };
}

/**
 * Photographs the module at a width, tall enough for all of its content (the app scrolls inside
 * its own container, so a full-page screenshot would stop at the viewport), then restores 1440 px.
 */
async function shoot(name: string, { width = 1440, drawer = false }: { width?: number; drawer?: boolean } = {}): Promise<void> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	await page.setViewportSize({ width, height: 1000 });
	await page.waitForTimeout(300);
	const height = await page.evaluate((inDrawer) => {
		const scrollers = [...document.querySelectorAll<HTMLElement>(inDrawer ? '.v-drawer .content, .v-drawer main' : '#main-content, main')];
		return Math.max(1000, ...scrollers.map((element) => element.scrollHeight + element.getBoundingClientRect().top));
	}, drawer);
	await page.setViewportSize({ width, height: Math.min(Math.ceil(height) + 24, 4000) });
	// The picture starts at the top of the page, wherever the last click scrolled to.
	await page.evaluate((inDrawer) => {
		for (const element of document.querySelectorAll<HTMLElement>(inDrawer ? '.v-drawer .content, .v-drawer main' : '#main-content, main'))
			element.scrollTop = 0;
	}, drawer);
	await page.waitForTimeout(300);
	await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
	await page.setViewportSize({ width: 1440, height: 1000 });
}

/** Light, narrow and dark versions of the current screen; the app follows the user's appearance. */
async function shootAll(name: string, reopen: () => Promise<void>, options: { drawer?: boolean } = {}): Promise<void> {
	await shoot(`${name}-1440`, options);
	await shoot(`${name}-800`, { ...options, width: 800 });
	expect((await api('PATCH', '/users/me', { body: { appearance: 'dark' } })).status).toBe(200);
	try {
		await reopen();
		await shoot(`${name}-dark`, options);
	} finally {
		expect((await api('PATCH', '/users/me', { body: { appearance: 'light' } })).status).toBe(200);
	}
	await reopen();
}

/** Records the JSON bodies of matching requests the page sends from now on. */
function recordRequests(method: string, path: RegExp): { bodies: Record<string, unknown>[]; stop: () => void } {
	const bodies: Record<string, unknown>[] = [];
	const listener = (request: Request) => {
		if (request.method() === method && path.test(new URL(request.url()).pathname)) bodies.push(request.postDataJSON());
	};
	page.on('request', listener);
	return { bodies, stop: () => page.off('request', listener) };
}

/** Requests that would change something on a simulator: anything but reads. */
async function writesTo(control: SimulatorControl): Promise<string[]> {
	return (await control.calls()).calls.filter((call) => call.method !== 'GET').map((call) => `${call.method} ${call.path}`);
}

/** How far elements stick out of their box, for "it fits" assertions: 0 when nothing overflows. */
async function overflowOf(selector: string): Promise<{ scroll: number; right: number; viewport: number; outcomeRight: number }> {
	return page.evaluate((css) => {
		const element = document.querySelector<HTMLElement>(css)!;
		const frame = element.parentElement!;
		const outcome = element.querySelector('th:last-child')!;
		return {
			scroll: element.scrollWidth - frame.clientWidth,
			right: element.getBoundingClientRect().right - frame.getBoundingClientRect().right,
			viewport: document.documentElement.scrollWidth - window.innerWidth,
			outcomeRight: outcome.getBoundingClientRect().right - window.innerWidth,
		};
	}, selector);
}

describe('overview', () => {
	test('the call log fits at 1440 px, says what happened in words, pages, opens details and links to the filtered collection', async () => {
		const longName = `Frankfurt NVMe cluster, primary customer hosting (2026 generation) ${unique('')}`;
		const server = await ownServer(longName);
		// Eight connection tests are 24 calls: enough for two pages, with a permission check among them.
		for (let i = 0; i < 8; i++) expect((await api('POST', `/nextpanel/servers/${server.id}/test`, { body: {} })).status).toBe(200);
		// And failures: the server is down for two more tests.
		await server.control.down();
		for (let i = 0; i < 2; i++) await api('POST', `/nextpanel/servers/${server.id}/test`, { body: {} });
		await server.control.up();
		const logged = await api('GET', `/items/nextpanel_logs?filter[server][_eq]=${server.id}&aggregate[count]=*`);
		const total = Number(logged.body.data[0].count);
		expect(total).toBeGreaterThan(12);

		await open('nextpanel', '[data-testid=calls-table]');
		const table = byTestId('calls-table');
		// The server's name is shown whole on its card.
		expect(await page.locator(`[data-testid=server-card][data-server="${longName}"] .name`).innerText()).toBe(longName);

		const fit = await overflowOf('[data-testid=calls-table]');
		expect(fit.scroll).toBeLessThanOrEqual(0);
		expect(fit.right).toBeLessThanOrEqual(0);
		expect(fit.outcomeRight).toBeLessThanOrEqual(0);
		expect(fit.viewport).toBeLessThanOrEqual(0);
		expect(await table.locator('thead th').allInnerTexts()).toEqual(['Time', 'What happened', 'Server', 'Outcome']);

		// In words: no raw action codes in the list.
		const text = await table.innerText();
		expect(text).toContain('Permission check (no account is created)');
		expect(text).toContain('Health check');
		expect(text).not.toMatch(/probe_permission|list_accounts|_account\b/);
		// The whole server name, in the user's locale's time format.
		expect(text).toContain(longName);
		const firstTime = await table.locator('tbody tr:first-child td:first-child').innerText();
		const newest = (await api('GET', '/items/nextpanel_logs?sort=-date_created,-id&limit=1&fields=date_created')).body.data[0].date_created;
		const expected = await page.evaluate(
			(iso) =>
				new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
					month: 'short',
					day: 'numeric',
					hour: 'numeric',
					minute: '2-digit',
					second: '2-digit',
				}).format(new Date(iso)),
			newest,
		);
		expect(firstTime).toBe(expected);

		// The shots show the top of the overview, on the first page of calls.
		await shootAll('module-overview', () => open('nextpanel', '[data-testid=calls-table]'));

		// Pages of 12, newest first.
		const rows = table.locator('tbody tr');
		await expect.poll(() => rows.count()).toBe(12);
		const firstPage = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-call')));
		expect(await byTestId('calls-count').innerText()).toMatch(/^1–12 of \d+$/);
		await byTestId('calls-pager').locator('.v-pagination button', { hasText: /^2$/ }).click();
		await expect.poll(() => byTestId('calls-count').innerText()).toMatch(/^13–\d+ of \d+$/);
		const secondPage = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-call')));
		expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
		expect(Math.max(...secondPage.map(Number))).toBeLessThan(Math.min(...firstPage.map(Number)));

		// Failed calls only.
		await byTestId('calls-errors-only').click();
		await expect.poll(() => byTestId('calls-count').innerText()).toMatch(/^1–\d+ of \d+$/);
		await expect
			.poll(async () => {
				const chips = await table.locator('tbody tr .v-chip').allInnerTexts();
				return chips.length > 0 && chips.every((t) => t === 'Failed');
			})
			.toBe(true);
		const failedInList = Number((await byTestId('calls-count').innerText()).match(/of (\d+)/)![1]);
		const failedTotal = Number(
			(await api('GET', '/items/nextpanel_logs?filter[outcome][_eq]=error&aggregate[count]=*')).body.data[0].count,
		);
		expect(failedInList).toBe(failedTotal);
		expect(failedInList).toBeGreaterThanOrEqual(2);

		// Details on click: status, duration, message, the redacted request and response.
		await table.locator('tbody tr').first().click();
		const details = byTestId('call-details');
		await details.waitFor();
		expect(await byTestId('call-duration').innerText()).toMatch(/^\d+ ms$/);
		expect(await byTestId('call-http-status').innerText()).toMatch(/^(\d{3}|No answer)$/);
		expect(await byTestId('call-message').innerText()).toMatch(/\w{5,}/);
		expect(await byTestId('call-request').innerText()).toMatch(/"method"/);
		expect(await details.innerText()).toContain(longName);
		await shootAll(
			'module-call-details',
			async () => {
				await open('nextpanel', '[data-testid=calls-table]');
				await byTestId('calls-errors-only').click();
				await expect.poll(() => byTestId('calls-table').locator('tbody tr').count()).toBe(Math.min(failedInList, 12));
				await byTestId('calls-table').locator('tbody tr').first().click();
				await byTestId('call-details').waitFor();
			},
			{ drawer: true },
		);
		await page.keyboard.press('Escape');
		await byTestId('call-details').waitFor({ state: 'detached' });

		// The link opens the calls collection filtered the same way (failed calls only).
		expect(await byTestId('calls-count').innerText()).toMatch(new RegExp(`of ${failedInList}$`));
		await buttonByTestId('calls-open-collection').click();
		await page.waitForURL(/\/content\/nextpanel_logs\?bookmark=\d+$/);
		const bookmark = new URL(page.url()).searchParams.get('bookmark');
		const preset = (await api('GET', `/presets/${bookmark}`)).body.data;
		expect(preset).toMatchObject({
			collection: 'nextpanel_logs',
			bookmark: 'From the NextPanel overview',
			filter: { _and: [{ outcome: { _eq: 'error' } }] },
		});
		await shoot('module-calls-collection');
		await page.getByText('From the NextPanel overview').first().waitFor();
		expect(extensionErrors).toEqual([]);
	}, 240_000);
});

describe('import wizard', () => {
	test('previews every NextPanel account with what will happen, then imports in batches of 200 with progress, writing nothing to NextPanel', async () => {
		const server = await ownServer(`Import source ${unique('')}`);
		const byId = await createCustomer();
		const byMail = await createCustomer();
		const tag = unique('').slice(0, 4);
		const billed = await server.control.seedAccount({
			username: `billed${tag}`,
			email: 'someone@example.com',
			password: 'Seeded-Password-1',
			billing_id: byId.id,
		});
		const mailed = await server.control.seedAccount({
			username: `mailed${tag}`,
			email: byMail.email.toUpperCase(),
			password: 'Seeded-Password-1',
			status: 'suspended',
		});
		// 300 accounts no customer matches: skipped, or new customers when asked.
		await server.control.seedBulk({ count: 300, prefix: `bulk${tag}`, email_domain: `import-${tag}.example.com`, suspended_every: 7 });
		const total = 302;

		await open(`nextpanel/servers/${server.id}`, '[data-testid=import-open]');
		expect(await byTestId('import-section').innerText()).toMatch(/never creates, changes or deletes anything/);
		await buttonByTestId('import-open').click();
		const wizard = byTestId('import-wizard');
		await wizard.waitFor();
		expect(await byTestId('import-read-only').innerText()).toMatch(/only reads from NextPanel/);
		await shoot('import-options', { drawer: true });

		// The dry run: counts, and a row per account with what will happen.
		await buttonByTestId('import-preview').click();
		await page.waitForSelector('[data-testid=import-wizard][data-step=preview]');
		const count = (name: string) => byTestId('import-summary').locator(`[data-count=${name}]`).innerText();
		expect(await count('total')).toBe(String(total));
		expect(await count('import')).toBe('2');
		expect(await count('skip')).toBe('300');
		expect(await count('linked')).toBe('0');
		const table = byTestId('import-table');
		expect(await table.locator('tbody tr').count()).toBe(25);
		const rowOf = (username: string) => table.locator(`tbody tr[data-username="${username}"]`);
		await byTestId('import-show-import').click();
		expect(await rowOf(billed.username).locator('[data-testid=import-outcome]').innerText()).toMatch(/^Linked to a customer by billing id/);
		expect(await rowOf(mailed.username).locator('[data-testid=import-outcome]').innerText()).toMatch(/^Linked to a customer by e-mail/);
		expect((await rowOf(mailed.username).innerText()).toLowerCase()).toContain(byMail.email.toLowerCase());
		expect(await rowOf(mailed.username).innerText()).toContain('suspended');
		await byTestId('import-show-skip').click();
		expect(await byTestId('import-rows-count').innerText()).toBe('1–25 of 300');
		expect(await table.locator('[data-testid=import-outcome]').first().innerText()).toMatch(
			/^Skipped: no matching customer\n.*create customers/s,
		);
		await byTestId('import-pager').locator('button', { hasText: /^12$/ }).click();
		expect(await byTestId('import-rows-count').innerText()).toBe('276–300 of 300');
		await byTestId('import-show-all').click();
		// A dry run wrote nothing.
		expect(
			Number((await api('GET', `/items/hosting_accounts?filter[server][_eq]=${server.id}&aggregate[count]=*`)).body.data[0].count),
		).toBe(0);

		// With new customers: everything is importable.
		await byTestId('import-create-customers').click();
		await buttonByTestId('import-preview').click();
		await expect.poll(() => count('import')).toBe(String(total));
		expect(await byTestId('import-summary').innerText()).toMatch(/1 by billing id · 1 by e-mail · 300 new customers/);
		expect(await table.locator('[data-testid=import-outcome]').allInnerTexts()).toContain('New customer');
		await shootAll(
			'import-preview',
			async () => {
				await open(`nextpanel/servers/${server.id}`, '[data-testid=import-open]');
				await buttonByTestId('import-open').click();
				await byTestId('import-create-customers').click();
				await buttonByTestId('import-preview').click();
				await page.waitForSelector('[data-testid=import-wizard][data-step=preview]');
			},
			{ drawer: true },
		);

		// The import: slow NextPanel reads (within the harness's 2 s read timeout), so the progress between batches can be seen.
		await server.control.resetCalls();
		await server.control.addFault({ kind: 'latency', ms: 1200, match: { method: 'GET', path: '/api/v1/billing/accounts' } });
		const posts = recordRequests('POST', /\/nextpanel\/servers\/[^/]+\/import$/);
		try {
			await buttonByTestId('import-start').click();
			const progress = byTestId('import-progress');
			await page.waitForSelector('[data-testid=import-progress][data-done="200"]', { timeout: 30_000 });
			expect(await progress.innerText()).toMatch(/200 of 302 accounts processed/);
			expect(await progress.locator('.v-progress-linear .inner').evaluate((bar) => (bar as HTMLElement).style.inlineSize)).toBe('66%');
			await shoot('import-progress', { drawer: true });
			await page.waitForSelector('[data-testid=import-wizard][data-step=done]', { timeout: 30_000 });
		} finally {
			posts.stop();
			await server.control.clearFaults();
		}
		expect(await byTestId('import-result').innerText()).toMatch(/302 hosting accounts imported\.\s+300 new customers created\./);
		await shoot('import-done', { drawer: true });

		// Two requests of at most 200 ids, all of them the importable ones, none a dry run.
		expect(posts.bodies).toHaveLength(2);
		expect(posts.bodies.map((body) => (body['only'] as number[]).length).sort()).toEqual([102, 200]);
		expect(posts.bodies.every((body) => body['create_customers'] === true && !body['dry_run'])).toBe(true);
		const imported = (
			await api(
				'GET',
				`/items/hosting_accounts?filter[server][_eq]=${server.id}&fields=nextpanel_account_id,customer,status,username&limit=-1`,
			)
		).body.data as Record<string, any>[];
		expect(imported).toHaveLength(total);
		const remote = await server.control.accounts();
		expect(imported.map((a) => a.nextpanel_account_id).sort((a, b) => a - b)).toEqual(remote.map((a) => a.id).sort((a, b) => a - b));
		expect(imported.find((a) => a.nextpanel_account_id === billed.id)).toMatchObject({ customer: byId.id, status: 'active' });
		expect(imported.find((a) => a.nextpanel_account_id === mailed.id)).toMatchObject({ customer: byMail.id, status: 'suspended' });
		expect(imported.filter((a) => a.status === 'suspended').length).toBe(1 + Math.floor(300 / 7));
		// It read NextPanel, and never wrote to it.
		expect(await writesTo(server.control)).toEqual([]);

		// Closing refreshes the page: nothing is left to import.
		await buttonByTestId('import-close').click();
		await buttonByTestId('import-open').click();
		await buttonByTestId('import-preview').click();
		await page.waitForSelector('[data-testid=import-nothing]');
		expect(await byTestId('import-summary').locator('[data-count=linked]').innerText()).toBe(String(total));
		await page.keyboard.press('Escape');
		expect(extensionErrors).toEqual([]);
	}, 300_000);
});

describe('import with nothing to import yet', () => {
	test('a first preview whose accounts match no customer says why and offers to create customers; the server card opens the server', async () => {
		const tag = unique('');
		const server = await ownServer(`Orphans ${tag}`);
		await server.control.seedBulk({ count: 2, prefix: `orphan${tag}`, email_domain: `orphans-${tag}.example.com` });

		// The whole card opens the server, not only its name.
		await open('nextpanel', `[data-testid=server-card][data-server="${server.name}"]`);
		await page.locator(`[data-testid=server-card][data-server="${server.name}"] [data-testid=server-last-check]`).click();
		await page.waitForURL(`**/admin/nextpanel/servers/${server.id}`);

		await buttonByTestId('import-open').click();
		await buttonByTestId('import-preview').click();
		const why = byTestId('import-nothing');
		await why.waitFor();
		expect(await why.innerText()).toMatch(/Nothing can be imported yet: the 2 account\(s\) not in Directus are skipped/);
		expect(await why.locator('[data-reason=no_customer]').innerText()).toMatch(/^2 × Skipped: no matching customer$/);
		await buttonByTestId('import-suggest-create-customers').click();
		await expect.poll(() => byTestId('import-summary').locator('[data-count=import]').innerText()).toBe('2');
		await buttonByTestId('import-start').click();
		await page.waitForSelector('[data-testid=import-result-imported]');
		// The page behind the drawer counts the new accounts before the drawer is closed.
		await expect
			.poll(() => page.locator('[data-testid=server-view] [data-testid=server-card] small').first().innerText())
			.toMatch(/^2 of 1,?000/);
		await page.keyboard.press('Escape');
		expect(extensionErrors).toEqual([]);
	}, 120_000);
});

describe('drift', () => {
	test('shows each kind of difference in words after NextPanel changed behind Directus, and every fix works from the app', async () => {
		const server = await ownServer(`Drift check ${unique('')}`);
		const provision = async () => {
			const response = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: server.id } });
			expect(response.status).toBe(201);
			return response.body.data as { id: string; username: string; nextpanel_account_id: number };
		};
		const inStep = await provision();
		const deleted = await provision();
		const reapply = await provision();
		const accept = await provision();
		const renamed = await provision();
		const owner = await createCustomer();
		const stranger = await server.control.seedAccount({ username: unique('stranger'), email: owner.email, password: 'Seeded-Password-1' });
		await server.control.deleteAccount(deleted.nextpanel_account_id);
		await server.control.updateAccount(reapply.nextpanel_account_id, { status: 'suspended', suspend_reason: 'abuse' });
		await server.control.updateAccount(accept.nextpanel_account_id, { status: 'suspended' });
		const newName = unique('renamed');
		await server.control.updateAccount(renamed.nextpanel_account_id, { username: newName });

		// The scheduled check keeps its result on the server; the page shows it without asking NextPanel.
		expect((await api('POST', '/nextpanel/jobs/drift', { body: {} })).status).toBe(200);
		await server.control.resetCalls();
		await open(`nextpanel/servers/${server.id}`, '[data-testid=drift-rows]');
		expect(await byTestId('drift-checked').innerText()).toMatch(/^Last scheduled check .* · 5 differences$/);
		expect((await server.control.calls()).count).toBe(0);
		expect(await byTestId('drift-safe').innerText()).toMatch(/No fix ever deletes anything on NextPanel/);

		const row = (kind: string, username: string) => page.locator(`[data-testid=drift-row][data-kind=${kind}][data-username="${username}"]`);
		const kinds = await page
			.locator('[data-testid=drift-row]')
			.evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-kind')}:${r.getAttribute('data-username')}`));
		expect(kinds.sort()).toEqual(
			[
				`unknown_remote:${stranger.username}`,
				`missing_remote:${deleted.username}`,
				`status_differs:${reapply.username}`,
				`status_differs:${accept.username}`,
				`identity_differs:${renamed.username}`,
			].sort(),
		);
		expect(kinds.some((k) => k.endsWith(`:${inStep.username}`))).toBe(false);
		const kindText = async (kind: string, username: string) => row(kind, username).locator('[data-testid=drift-kind]').innerText();
		expect(await kindText('unknown_remote', stranger.username)).toBe('Only on NextPanel');
		expect(await kindText('missing_remote', deleted.username)).toBe('Missing on NextPanel');
		expect(await kindText('status_differs', reapply.username)).toBe('Status differs');
		expect(await kindText('identity_differs', renamed.username)).toBe('Another account at this id');
		expect(await row('status_differs', reapply.username).locator('[data-testid=drift-sides]').innerText()).toMatch(
			/Directus\s*Active[\s\S]*NextPanel\s*suspended/,
		);
		expect(await row('missing_remote', deleted.username).locator('[data-testid=drift-sides]').innerText()).toMatch(/NextPanel\s*not there/);
		expect(await row('identity_differs', renamed.username).innerText()).toContain(newName);
		const fixesOf = (kind: string, username: string) => row(kind, username).locator('.fixes').innerText();
		expect(await fixesOf('status_differs', reapply.username)).toMatch(/Unsuspend on NextPanel[\s\S]*Take NextPanel's status \(suspended\)/);
		expect(await fixesOf('unknown_remote', stranger.username)).toBe('Adopt into Directus');
		await shootAll('drift', () => open(`nextpanel/servers/${server.id}`, '[data-testid=drift-rows]'));

		// Check now asks NextPanel at once.
		await buttonByTestId('drift-check-now').click();
		await expect.poll(() => byTestId('drift-checked').innerText()).toMatch(/^Checked now, .* · 5 differences$/);

		const fix = async (kind: string, username: string, name: string) => {
			await row(kind, username).locator(`[data-testid=drift-fix-${name}] button, button[data-testid=drift-fix-${name}]`).first().click();
			await byTestId('drift-fix-dialog').waitFor();
		};
		const confirm = () => buttonByTestId('drift-fix-confirm').click();
		const gone = (kind: string, username: string) => row(kind, username).waitFor({ state: 'detached', timeout: 20_000 });

		// A failing fix shows Directus's error in words and keeps the row.
		await fix('status_differs', reapply.username, 'reapply_status');
		await server.control.down();
		try {
			await confirm();
			await byTestId('drift-fix-error').waitFor();
			expect(await byTestId('drift-fix-error').innerText()).toMatch(/NextPanel|reach|connection/i);
			await shoot('drift-fix-error');
		} finally {
			await server.control.up();
		}
		await confirm();
		await gone('status_differs', reapply.username);
		expect((await server.control.account(reapply.nextpanel_account_id)).status).toBe('active');

		await fix('status_differs', accept.username, 'accept_remote_status');
		await confirm();
		await gone('status_differs', accept.username);
		expect((await api('GET', `/items/hosting_accounts/${accept.id}?fields=status`)).body.data.status).toBe('suspended');

		await fix('unknown_remote', stranger.username, 'adopt');
		expect(await byTestId('drift-fix-dialog').innerText()).toMatch(/Nothing changes on NextPanel/);
		await shoot('drift-fix-adopt');
		await confirm();
		await gone('unknown_remote', stranger.username);
		const adopted = (
			await api(
				'GET',
				`/items/hosting_accounts?filter[nextpanel_account_id][_eq]=${stranger.id}&filter[server][_eq]=${server.id}&fields=customer,username`,
			)
		).body.data;
		expect(adopted).toEqual([{ customer: owner.id, username: stranger.username }]);

		await fix('missing_remote', deleted.username, 'mark_terminated');
		expect(await byTestId('drift-fix-dialog').innerText()).toMatch(/Nothing is deleted on NextPanel/);
		await confirm();
		await gone('missing_remote', deleted.username);
		expect((await api('GET', `/items/hosting_accounts/${deleted.id}?fields=status`)).body.data.status).toBe('terminated');

		await fix('identity_differs', renamed.username, 'mark_terminated');
		await confirm();
		await gone('identity_differs', renamed.username);
		expect((await api('GET', `/items/hosting_accounts/${renamed.id}?fields=status`)).body.data.status).toBe('terminated');
		// What NextPanel holds at that id is now an account Directus does not know: adopted by its billing id.
		await fix('unknown_remote', newName, 'adopt');
		await confirm();
		await gone('unknown_remote', newName);

		await byTestId('drift-none').waitFor();
		await shootAll('drift-none', () => open(`nextpanel/servers/${server.id}`, '[data-testid=drift-section]'));
		// No fix deleted anything on NextPanel; the only write was the unsuspend asked for.
		expect((await writesTo(server.control)).filter((call) => call.startsWith('DELETE'))).toEqual([]);
		expect((await server.control.accounts()).filter((a) => a.deleted).map((a) => a.id)).toEqual([deleted.nextpanel_account_id]);
		expect(extensionErrors).toEqual([]);
	}, 300_000);
});

describe('service terms', () => {
	test('the overview previews the next overdue run with links, and the hosting panel says when an account suspends and why it is suspended', async () => {
		const server = await ownServer(unique('Terms '));
		const customer = await createCustomer();
		const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		expect(created.status, created.text).toBe(201);
		const account = created.body.data as { id: string; username: string };
		const date = new Date();
		date.setDate(date.getDate() - 6);
		const paidUntil = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
		expect((await api('PATCH', `/items/hosting_accounts/${account.id}`, { body: { paid_until: paidUntil } })).status).toBe(200);
		try {
			const reopen = () => open('nextpanel', '[data-testid=overdue-summary]');
			await reopen();
			const row = page.locator(`[data-testid=overdue-section] li[data-account="${account.id}"][data-action=suspend]`);
			await row.waitFor({ timeout: 20_000 });
			expect(await byTestId('overdue-summary').textContent()).toMatch(/^Next run: [1-9]\d* suspensions?[,.]/);
			expect(await row.locator('a').getAttribute('href')).toBe(`/admin/content/hosting_accounts/${account.id}`);
			expect(await row.textContent()).toMatch(new RegExp(`${account.username}\\s*Suspend\\s*paid until`));
			await row.scrollIntoViewIfNeeded();
			await shootAll('module-overdue-preview', reopen);

			// The card says what comes next, then, once the job acted, why the account is suspended.
			await open(`content/customers/${customer.id}`, `.account-card[data-username="${account.username}"]`);
			const facts = page.locator(`.account-card[data-username="${account.username}"] .facts`);
			expect(await facts.textContent()).toMatch(/Paid until.*Next\s*suspends on/s);
			expect((await api('POST', '/nextpanel/jobs/overdue', { body: {} })).status).toBe(200);
			await open(`content/customers/${customer.id}`, `.account-card[data-username="${account.username}"][data-status=suspended]`);
			expect(await facts.textContent()).toMatch(/Comes back\s*by itself, once the term is paid/);
			await shoot('panel-overdue-suspension');
		} finally {
			await api('PATCH', `/items/hosting_accounts/${account.id}`, { body: { paid_until: null } });
		}
		expect(extensionErrors).toEqual([]);
	});
});

describe('setup', () => {
	test('when the plugin is not set up, the module says what to set instead of showing empty sections', async () => {
		// The harness's Directus is set up; the answer of GET /nextpanel/status is replaced in the browser only.
		const problems = [
			'NEXTPANEL_ENCRYPTION_KEY is not set: set it to 32 random bytes (base64 or hex) and restart Directus.',
			'the collection "clients" named by NEXTPANEL_CUSTOMERS_COLLECTION does not exist.',
		];
		await page.route('**/nextpanel/status', (route) =>
			route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ data: { ready: false, problems } }) }),
		);
		try {
			await open('nextpanel', '[data-testid=setup-problems]');
			const notice = await byTestId('setup-problems').innerText();
			expect(notice).toContain('NextPanel provisioning is not set up yet');
			expect(notice).toContain(problems[0]);
			expect(notice).toContain('The collection "clients" named by NEXTPANEL_CUSTOMERS_COLLECTION does not exist.');
			expect(await page.locator('[data-testid=calls-section], [data-testid=server-card]').count()).toBe(0);
			await shoot('module-not-ready');
		} finally {
			await page.unroute('**/nextpanel/status');
		}
		expect(extensionErrors).toEqual([]);
	});
});
