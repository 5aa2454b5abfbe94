// Headless Debian Chromium driven by playwright-core, for end-to-end tests of the app.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { projectRoot } from '../../../../scripts/lib/paths.ts';

export const SCREENSHOTS = join(projectRoot, 'test-results', 'screenshots');

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
		],
	});
}

/** Logs in through the real login form and waits until the app has left the login page. */
export async function login(browser: Browser, url: string, email: string, password: string): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
	// The copy buttons are tested against the real clipboard.
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
	const page = await context.newPage();
	// Leaving a form with unsaved edits asks "leave the page?": always yes in tests.
	page.on('dialog', (dialog) => void dialog.accept());
	await page.goto(`${url}/admin/login`);
	await page.fill('input[type=email]', email);
	await page.fill('input[type=password]', password);
	await page.click('button[type=submit]');
	await page.waitForURL((target) => !target.pathname.endsWith('/login'), { timeout: 30_000 });
	return page;
}

/** Uncaught errors and console errors that come from our bundle, collected for a final assertion. */
export function collectExtensionErrors(page: Page): string[] {
	const errors: string[] = [];
	const ours = (text: string) => /nextpanel|extensions\/sources/i.test(text);
	page.on('pageerror', (error) => {
		if (ours(`${error.message}\n${error.stack ?? ''}`)) errors.push(error.stack ?? error.message);
	});
	page.on('console', (message) => {
		// Failed requests are logged by Chromium too; the tests expect some and assert what the page shows.
		if (
			message.type() === 'error' &&
			!message.text().startsWith('Failed to load resource') &&
			ours(`${message.text()} ${message.location().url}`)
		)
			errors.push(message.text());
	});
	return errors;
}

/** The input of an element with this test id, whether the id landed on the input or its wrapper. */
export function inputByTestId(page: Page, id: string): Locator {
	return page.locator(`:is(input[data-testid="${id}"], [data-testid="${id}"] input)`).first();
}

/** A full-page PNG in test-results/screenshots/ (gitignored); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	const path = join(SCREENSHOTS, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}
