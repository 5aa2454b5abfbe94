// The package as a newcomer gets it: packed from a clean clone of the repository (so nothing
// built or left over in this working tree can hide a missing build step), holding the build and
// the documents and nothing of the sources or tests, clean for `npm publish --dry-run`, and
// working when extracted, as the README says, into a bare Directus project.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../../../scripts/lib/paths.ts';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-package-'));
const clone = join(tmp, 'clone');
const bundle = join(clone, 'extensions', 'nextpanel');
const extensions = join(tmp, 'extensions');
const credentials = newCredentials();
let database: TestDatabase | null = null;
let directus: BootedDirectus | null = null;
let tarball: string;
let packed: { path: string }[];
const manifest = JSON.parse(readFileSync(join(projectRoot, 'extensions', 'nextpanel', 'package.json'), 'utf8'));

const npm = (args: string[], cwd: string) =>
	execFileSync('npm', args, {
		cwd,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, npm_config_update_notifier: 'false' },
	});

beforeAll(() => {
	// What is committed, and nothing else; the dependencies are the ones installed here.
	execFileSync('git', ['clone', '--quiet', projectRoot, clone]);
	symlinkSync(join(projectRoot, 'node_modules'), join(clone, 'node_modules'), 'dir');
	expect(existsSync(join(bundle, 'dist'))).toBe(false);
	const [report] = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], bundle)) as {
		filename: string;
		files: { path: string }[];
	}[];
	tarball = join(tmp, report!.filename);
	packed = report!.files;
}, 300_000);

afterAll(async () => {
	await directus?.stop();
	await database?.drop();
	rmSync(tmp, { recursive: true, force: true });
});

describe('the packed bundle', () => {
	test('is built before it is packed, and holds the build and the documents only', () => {
		const paths = packed.map((file) => file.path).sort();
		expect(paths).toEqual(expect.arrayContaining(['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/api.js', 'dist/app.js', 'package.json']));
		expect(
			paths.filter((path) => !/^(dist|docs)\//.test(path) && !['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'].includes(path)),
		).toEqual([]);
		expect(paths.some((path) => /^(src|test)\//.test(path) || /\.(ts|vue)$/.test(path))).toBe(false);
		expect(tarball).toMatch(new RegExp(`directus-extension-nextpanel-${manifest.version.replace(/\./g, '\\.')}\\.tgz$`));
	});

	test('its version has a changelog entry, and the README names the tarball it makes', () => {
		const changelog = readFileSync(join(bundle, 'CHANGELOG.md'), 'utf8');
		expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
		expect(changelog).toMatch(new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')} - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
		expect(readFileSync(join(clone, 'README.md'), 'utf8')).toContain(`directus-extension-nextpanel-${manifest.version}.tgz`);
	});

	test('npm publish --dry-run is clean', () => {
		// Throws, with npm's own message, when the manifest or the files would not publish.
		const output = execFileSync('npm', ['publish', '--dry-run', '--ignore-scripts'], {
			cwd: bundle,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		expect(output).toContain(`directus-extension-nextpanel@${manifest.version}`);
	});

	test('extracted as the README says, it runs in a bare Directus project: schema, routes and every app extension', async () => {
		const target = join(extensions, 'directus-extension-nextpanel');
		mkdirSync(target, { recursive: true });
		execFileSync('tar', ['-xzf', tarball, '--strip-components=1', '-C', target]);
		database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', tmp);
		directus = await bootDirectus({ database: database.env, credentials, tmp, name: 'package', prepare: true, extensionsPath: extensions });
		const get = async (path: string) => {
			const response = await fetch(`${directus!.url}${path}`, { headers: { Authorization: `Bearer ${credentials.adminToken}` } });
			expect(response.status, path).toBe(200);
			return ((await response.json()) as { data: any }).data;
		};
		expect((await get('/nextpanel/status')).ready).toBe(true);
		expect((await get('/collections/hosting_accounts')).collection).toBe('hosting_accounts');
		const names = ((await get('/extensions')) as { schema: { name?: string } | null }[]).map((extension) => extension.schema?.name);
		const entries = (manifest['directus:extension'].entries as { name: string }[]).map((entry) => entry.name);
		expect(names).toEqual(expect.arrayContaining(entries));
		const app = await (await fetch(`${directus.url}/extensions/sources/index.js`)).text();
		for (const panel of entries.filter(
			(name) => name.startsWith('nextpanel-') && /capacity|over-time|by-status|near-limits|and-calls/.test(name),
		)) {
			expect(app, panel).toContain(panel);
		}
	}, 300_000);
});
