// Removing the plugin from a project that lived without it: `npm run cli -- uninstall` shows its
// plan, refuses while the plugin's collections hold rows or a field of the host's depends on
// them, and then removes exactly what the install log says the plugin created. The project's
// schema snapshot, rows, policies, presets and module bar are then what they were before the
// plugin came, and Directus runs on without the extension.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../../../scripts/lib/paths.ts';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { connectTo, createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { createSimulator, type Simulator } from '../../../../scripts/simulator/server.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-uninstall-'));
const credentials = newCredentials();
const noExtensions = join(tmp, 'no-extensions');
let database: TestDatabase;
let directus: BootedDirectus | null = null;
let sim: Simulator;

const ENV = { NEXTPANEL_CUSTOMER_NAME_FIELD: 'name', NEXTPANEL_WELCOME_MAIL: 'false' };

async function call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
	const response = await fetch(`${directus!.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${credentials.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null, text };
}

async function boot(extensionsPath?: string, prepare = false): Promise<void> {
	await directus?.stop();
	directus = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name: `uninstall-${Date.now()}`,
		prepare,
		...(extensionsPath ? { extensionsPath } : {}),
		env: ENV,
	});
}

const openDatabase = (): Knex => connectTo(database.env);

/** Everything of the project an administrator could miss: schema, rows, policies, presets, module bar. */
async function projectState() {
	const snapshot = (await call('GET', '/schema/snapshot')).body.data;
	const strip = <T extends { schema?: Record<string, unknown> | null }>(item: T) => {
		// SQLite reports a table's DDL, which names columns in the order the table was last rebuilt.
		const { sql: _sql, ...schema } = item.schema ?? {};
		return { ...item, schema };
	};
	return {
		collections: snapshot.collections.map(strip),
		fields: snapshot.fields,
		relations: snapshot.relations,
		customers: (await call('GET', '/items/customers?sort=id&limit=-1')).body.data,
		invoices: (await call('GET', '/items/invoices?sort=id&limit=-1')).body.data,
		policies: (await call('GET', '/policies?fields=name,admin_access,app_access,permissions.collection,permissions.action&sort=name')).body
			.data,
		presets: (await call('GET', '/presets?fields=collection,user,role,layout_query&sort=id')).body.data,
		module_bar: (await call('GET', '/settings?fields=module_bar')).body.data.module_bar,
		dashboards: (await call('GET', '/dashboards?fields=name,panels.type&sort=name')).body.data,
		flows: (await call('GET', '/flows?fields=name,status,operations.type&sort=name')).body.data,
	};
}

async function cli(...args: string[]) {
	try {
		const { stdout } = await promisify(execFile)(
			process.execPath,
			['scripts/cli/index.ts', '--url', directus!.url, '--token', credentials.adminToken, ...args],
			{ cwd: projectRoot },
		);
		return { code: 0, stdout };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
	}
}

let before: Awaited<ReturnType<typeof projectState>>;
let server: { id: string };

beforeAll(async () => {
	mkdirSync(noExtensions, { recursive: true });
	database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', tmp);
	sim = await createSimulator({ port: 0, controlPort: 0, keys: [{ key: 'npk_un', secret: 'nps_un_secret', level: 'SUPER_ADMIN' }] });
	await boot(noExtensions, true);
	await call('POST', '/collections', {
		collection: 'customers',
		meta: { icon: 'groups', note: 'Our customers' },
		schema: {},
		fields: [
			{ field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
			{ field: 'name', type: 'string', meta: { interface: 'input' }, schema: {} },
			{ field: 'email', type: 'string', meta: { interface: 'input' }, schema: { is_unique: true } },
		],
	});
	await call('POST', '/collections', {
		collection: 'invoices',
		meta: { icon: 'receipt' },
		schema: {},
		fields: [
			{ field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
			{ field: 'total', type: 'integer', meta: { interface: 'input' }, schema: {} },
		],
	});
	await call('POST', '/items/customers', [
		{ name: 'Ada Lovelace', email: 'ada@host.example' },
		{ name: 'Grace Hopper', email: 'grace@host.example' },
	]);
	await call('POST', '/items/invoices', [{ total: 120 }]);
	before = await projectState();

	await boot();
	expect((await call('GET', '/nextpanel/status')).body.data.ready).toBe(true);
	server = (
		await call('POST', '/items/nextpanel_servers', {
			name: 'Panel',
			base_url: sim.apiUrl,
			api_key: 'npk_un',
			api_secret: 'nps_un_secret',
			capacity: 10,
			status: 'active',
		})
	).body.data;
	const provisioned = await call('POST', '/nextpanel/accounts', { customer: before.customers[0].id, server: server.id });
	expect(provisioned.status, provisioned.text).toBe(201);
}, 300_000);

afterAll(async () => {
	await directus?.stop();
	await sim?.close();
	await database?.drop();
	rmSync(tmp, { recursive: true, force: true });
});

describe('npm run cli -- uninstall', () => {
	test('an install by a version before the install log: what it created is inferred from its marks at the next start', async () => {
		const logged = (await call('POST', '/nextpanel/uninstall', { dry_run: true })).body.data.plan;
		const db = openDatabase();
		try {
			// What such a version left: its once-steps, no list of what it created.
			await db('nextpanel_install_steps').where('step', 'like', 'created:%:%').orWhere({ step: 'install-log' }).delete();
		} finally {
			await db.destroy();
		}
		expect((await call('POST', '/nextpanel/uninstall', { dry_run: true })).body.data.plan).toMatchObject({
			collections: [],
			fields: [],
			policies: [],
		});
		await boot();
		expect((await call('POST', '/nextpanel/uninstall', { dry_run: true })).body.data.plan).toEqual(logged);
	});

	test('the dry run lists what the plugin created, and changes nothing', async () => {
		const installed = await projectState();
		const dry = await call('POST', '/nextpanel/uninstall', { dry_run: true });
		expect(dry.status, dry.text).toBe(200);
		const plan = dry.body.data.plan;
		expect(dry.body.data).toMatchObject({ dry_run: true, applied: false });
		// In the order they can be dropped: the call log points at accounts, accounts at servers.
		expect(plan.collections.map((c: { collection: string }) => c.collection)).toEqual([
			'nextpanel_logs',
			'nextpanel_settings',
			'hosting_accounts',
			'nextpanel_servers',
		]);
		expect(plan.collections.find((c: { collection: string }) => c.collection === 'hosting_accounts').rows).toBe(1);
		expect([...plan.fields].sort()).toEqual(
			[
				'hosting',
				'hosting_accounts',
				'hosting_package',
				'hosting_panel',
				'hosting_password',
				'hosting_server',
				'hosting_username',
				'provision_hosting',
			].map((f) => `customers.${f}`),
		);
		// The host's own fields and collections are not in it.
		expect(JSON.stringify(plan)).not.toMatch(/invoices|customers\.(name|email|id)\b/);
		expect(plan.policies.map((p: { name: string }) => p.name)).toEqual(['NextPanel operator']);
		expect(plan.presets).toHaveLength(1);
		expect(plan.module_bar).toBe(true);
		expect(plan.dashboards).toEqual([{ id: expect.any(String), name: 'NextPanel', panels: 5, kept_panels: 0 }]);
		expect(plan.flows).toEqual([{ id: expect.any(String), name: 'NextPanel: hosting action' }]);
		// Its own flow is removed with it, so it is not among the flows "of yours" the notes warn about.
		expect(plan.notes.join(' ')).not.toMatch(/hosting action/);
		expect(plan.blockers.join(' ')).toMatch(/hosting_accounts holds 1 row\(s\).*--delete-data/);
		expect(plan.notes.join(' ')).toMatch(/Nothing is written to NextPanel/);

		const printed = await cli('uninstall', '--dry-run');
		expect(printed.code, printed.stdout).toBe(0);
		expect(printed.stdout).toMatch(
			/Would remove these collections:\n {2}- nextpanel_logs \(\d+ row\(s\)\)\n {2}- nextpanel_settings \(0 row\(s\)\)\n {2}- hosting_accounts \(1 row\(s\)\)/,
		);
		expect(printed.stdout).toMatch(/Would remove the NextPanel panels of these dashboards:\n {2}- NextPanel, the whole dashboard/);
		expect(printed.stdout).toMatch(/Dry run: nothing was changed\./);
		expect(await projectState()).toEqual(installed);
	});

	test('refuses while the collections hold rows, or while a field of the host points at one of them; nothing is removed', async () => {
		const installed = await projectState();
		const refused = await call('POST', '/nextpanel/uninstall', {});
		expect(refused.status).toBe(409);
		expect(refused.body.errors[0].message).toMatch(/^Nothing was removed: .*hosting_accounts holds 1 row/);

		// The host links its invoices to a server: removing nextpanel_servers would delete that field.
		await call('POST', '/fields/invoices', { field: 'server', type: 'uuid', meta: { interface: 'select-dropdown-m2o' }, schema: {} });
		await call('POST', '/relations', { collection: 'invoices', field: 'server', related_collection: 'nextpanel_servers' });
		const linked = await call('POST', '/nextpanel/uninstall', { delete_data: true });
		expect(linked.status).toBe(409);
		expect(linked.body.errors[0].message).toMatch(/invoices\.server is not the plugin's and points at nextpanel_servers/);
		const cliRefused = await cli('uninstall', '--delete-data');
		expect(cliRefused.code).not.toBe(0);
		expect(cliRefused.stdout).toMatch(/invoices\.server is not the plugin's/);
		expect((await call('GET', '/fields/invoices/server')).status).toBe(200);
		await call('DELETE', '/fields/invoices/server');
		expect(await projectState()).toEqual(installed);
	});

	test('only an administrator may run it', async () => {
		const user = await call('POST', '/users', {
			email: `operator-${Date.now()}@example.com`,
			password: 'a-long-password-1',
			policies: { create: [{ policy: (await call('GET', '/policies?filter[name][_eq]=NextPanel operator')).body.data[0].id }] },
		});
		expect(user.status, user.text).toBe(200);
		const login = await fetch(`${directus!.url}/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: user.body.data.email, password: 'a-long-password-1' }),
		});
		const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
		for (const path of ['/nextpanel/uninstall', '/nextpanel/repair']) {
			const response = await fetch(`${directus!.url}${path}`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ dry_run: true }),
			});
			expect(response.status).toBe(403);
		}
		await call('DELETE', `/users/${user.body.data.id}`);
	});

	test('with --delete-data it removes what the plugin created, and the project is as it was before the plugin', async () => {
		const removed = await cli('uninstall', '--delete-data');
		expect(removed.code, removed.stdout).toBe(0);
		expect(removed.stdout).toMatch(/Removed these collections:/);
		expect(await projectState()).toEqual(before);
		const db = openDatabase();
		try {
			expect(await db.schema.hasTable('nextpanel_install_steps')).toBe(false);
			expect(await db.schema.hasTable('hosting_accounts')).toBe(false);
		} finally {
			await db.destroy();
		}
		// Nothing was written to NextPanel: the account is still there.
		expect(await new SimulatorControl(sim.controlUrl).accounts()).toHaveLength(1);
		// The host's project works as before.
		expect((await call('POST', '/items/customers', { name: 'Katherine Johnson', email: 'k@host.example' })).status).toBe(200);
		await call('DELETE', `/items/customers/${(await call('GET', '/items/customers?filter[name][_eq]=Katherine Johnson')).body.data[0].id}`);
	});

	test('a second run finds nothing, and Directus starts without the extension with nothing of it left', async () => {
		const again = await call('POST', '/nextpanel/uninstall', { dry_run: true });
		expect(again.body.data.plan).toMatchObject({
			collections: [],
			fields: [],
			relations: [],
			policies: [],
			presets: [],
			module_bar: false,
			dashboards: [],
			flows: [],
			blockers: [],
		});
		await boot(noExtensions);
		expect(await projectState()).toEqual(before);
	});
});
