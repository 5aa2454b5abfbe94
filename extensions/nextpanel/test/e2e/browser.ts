// Headless Debian Chromium driven by playwright-core, for end-to-end tests of the app.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { bundlePath, projectRoot } from '../../../../scripts/lib/paths.ts';

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

/** The app-side entries of this checkout's bundle (interfaces, modules), by name. */
function appEntryNames(): string[] {
	const manifest = JSON.parse(readFileSync(join(bundlePath, 'package.json'), 'utf8')) as {
		'directus:extension': { entries: { type: string; name: string }[] };
	};
	return manifest['directus:extension'].entries.filter((entry) => ['interface', 'module'].includes(entry.type)).map((entry) => entry.name);
}

/**
 * Directus bundles the app extensions in the background after it starts answering; until then
 * /extensions/sources/index.js is a 404 and the app runs without our interfaces (a busy machine
 * makes that window long). Waits until the app serves every interface and module of this build,
 * so a test never runs against a partial or foreign bundle.
 */
export async function waitForAppExtensions(url: string, timeoutMs = 120_000): Promise<void> {
	const wanted = appEntryNames();
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(`${url}/extensions/sources/index.js`).catch(() => null);
		const body = response?.ok ? await response.text() : '';
		const missing = wanted.filter((name) => !body.includes(name));
		if (missing.length === 0) return;
		if (Date.now() > deadline)
			throw new Error(`The app does not serve ${missing.join(', ')} after ${timeoutMs} ms (last status ${response?.status ?? 'none'})`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Logs in through the real login form and waits until the app has left the login page. */
export async function login(browser: Browser, url: string, email: string, password: string): Promise<Page> {
	await waitForAppExtensions(url);
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

/** Lets layout, transitions and fonts settle after a viewport or colour-scheme change. */
async function settle(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await document.fonts.ready;
		// Two frames: one for Vue's re-render after the resize, one for the browser to paint it.
		await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
	});
	// Directus's drawers, menus and sidebars animate for up to ~300 ms.
	await page.waitForTimeout(350);
}

const isDark = (page: Page) => page.evaluate(() => document.body.classList.contains('dark'));

/**
 * Three PNGs of the screen as it is now, for before/after comparisons of one screen:
 * `${name}-1440.png` and `${name}-800.png` (desktop and narrow window, light) and
 * `${name}-dark.png` (1440 px, dark). The page keeps its state: no reload, no navigation. Dark
 * mode is switched through prefers-color-scheme, which Directus follows live while the user's
 * appearance is "auto" (its default); the viewport and light mode are restored afterwards.
 * `focus` is scrolled into view in each variant, since the narrow window moves things down.
 */
export async function captureScreen(page: Page, name: string, options: { focus?: Locator } = {}): Promise<string[]> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	const original = page.viewportSize() ?? { width: 1440, height: 1000 };
	const paths: string[] = [];
	const shoot = async (variant: string) => {
		// A narrower window reflows the form: bring the part the picture is about back into view.
		if (options.focus) {
			await options.focus.scrollIntoViewIfNeeded();
			await settle(page);
		}
		const path = join(SCREENSHOTS, `${name}-${variant}.png`);
		await page.screenshot({ path });
		paths.push(path);
	};
	// A tooltip left by the last click is not part of the screen.
	await page.mouse.move(original.width - 1, original.height - 1);
	try {
		await page.setViewportSize({ width: 1440, height: original.height });
		await settle(page);
		await shoot('1440');

		await page.setViewportSize({ width: 800, height: original.height });
		await settle(page);
		await shoot('800');

		await page.setViewportSize({ width: 1440, height: original.height });
		await page.emulateMedia({ colorScheme: 'dark' });
		await page
			.waitForFunction(() => document.body.classList.contains('dark'), undefined, { timeout: 5_000 })
			.catch(() => {
				throw new Error(
					`captureScreen(${name}): the app did not switch to dark mode; the user's appearance must be "auto" (PATCH /users/me {"appearance": "auto"})`,
				);
			});
		await settle(page);
		await shoot('dark');
	} finally {
		await page.emulateMedia({ colorScheme: 'light' });
		await page.setViewportSize(original);
		if (await isDark(page)) await page.waitForFunction(() => !document.body.classList.contains('dark'), undefined, { timeout: 5_000 });
		await settle(page);
	}
	return paths;
}

/** A full-page PNG in test-results/screenshots/ (gitignored); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	const path = join(SCREENSHOTS, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}
