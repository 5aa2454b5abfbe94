// The plugin dropped into a Directus project that already runs with content of its own: an
// `articles` collection and a `customers` collection with integer ids and fields named its own
// way. The packed bundle is added the way an administrator adds it, and Directus restarted. The
// host's collections, fields and rows must stay exactly as they were; the plugin installs its
// own schema, attaches to the host's customers, and provisions for them through REST, the hook
// and a Flow. Restarts change nothing, and an older install is completed without losing data.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import knex, { type Knex } from 'knex';
import { bundlePath } from '../../../../scripts/lib/paths.ts';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';
import { createSimulator, type Simulator } from '../../../../scripts/simulator/server.ts';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { waitFor } from '../harness/client.ts';
import { collectExtensionErrors, launchBrowser, login, waitForAppExtensions } from '../e2e/browser.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-host-'));
const credentials = newCredentials();
const emptyExtensions = join(tmp, 'no-extensions');
const withBundle = join(tmp, 'extensions');
let database: TestDatabase;
let directus: BootedDirectus | null = null;
let sim: Simulator;

const HOST_ENV = {
	NEXTPANEL_CUSTOMER_NAME_FIELD: 'name',
	NEXTPANEL_WELCOME_MAIL: 'false',
	NEXTPANEL_RETRY_SCHEDULE: '*/2 * * * * *',
};

async function call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
	const response = await fetch(`${directus!.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${credentials.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	const json = response.headers.get('content-type')?.includes('json');
	return { status: response.status, body: json && text ? JSON.parse(text) : text };
}

async function boot(extensionsPath: string, env: Record<string, string> = HOST_ENV): Promise<void> {
	await directus?.stop();
	directus = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name: `host-${Date.now()}`,
		prepare: true,
		extensionsPath,
		env,
	});
}

function db(): Knex {
	const env = database.env;
	if (env['DB_CLIENT'] === 'sqlite3')
		return knex({ client: 'sqlite3', connection: { filename: env['DB_FILENAME']! }, useNullAsDefault: true });
	return knex({
		client: 'pg',
		connection: {
			host: env['DB_HOST'],
			port: Number(env['DB_PORT']),
			database: env['DB_DATABASE'],
			user: env['DB_USER'],
			password: env['DB_PASSWORD'],
		},
	});
}

/** What an administrator sees of the host's own collections: fields (meta and schema), relations and rows. */
async function hostState() {
	const fields = async (collection: string) =>
		((await call('GET', `/fields/${collection}`)).body.data as { field: string }[])
			.filter((field) => !field.field.startsWith('hosting') && field.field !== 'provision_hosting')
			.sort((a, b) => a.field.localeCompare(b.field));
	return {
		articles: { fields: await fields('articles'), rows: (await call('GET', '/items/articles?sort=id&limit=-1')).body.data },
		customers: {
			fields: await fields('customers'),
			rows: (await call('GET', '/items/customers?sort=id&limit=-1&fields=id,name,email,vip')).body.data,
			// SQLite reports the table's DDL, which lists the plugin's added columns too: that part is not the host's.
			collection: withoutDdl((await call('GET', '/collections/customers')).body.data),
		},
	};
}

function withoutDdl(collection: { schema?: Record<string, unknown> }): unknown {
	const { sql: _sql, ...schema } = collection.schema ?? {};
	return { ...collection, schema };
}

async function snapshotOfPlugin(): Promise<unknown> {
	const snapshot = (await call('GET', '/schema/snapshot')).body.data as { collections: unknown[]; fields: unknown[]; relations: unknown[] };
	return snapshot;
}

/** Adds the packed bundle to the project, as `npm pack` + extracting it into EXTENSIONS_PATH would. */
function installPackedBundle(): void {
	const packed = join(tmp, 'packed');
	mkdirSync(packed, { recursive: true });
	const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', packed], { cwd: bundlePath, encoding: 'utf8' })
		.trim()
		.split('\n')
		.pop()!;
	const target = join(withBundle, 'directus-extension-nextpanel');
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', join(packed, file), '-C', target, '--strip-components=1']);
}

beforeAll(async () => {
	mkdirSync(emptyExtensions, { recursive: true });
	database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', tmp);
	sim = await createSimulator({ port: 0, controlPort: 0, keys: [{ key: 'npk_host', secret: 'nps_host_secret', level: 'SUPER_ADMIN' }] });
	// A project that has lived without the plugin: its own articles and customers.
	await boot(emptyExtensions);
	await call('PATCH', '/settings', { project_owner: credentials.adminEmail, project_usage: 'personal' });
	await call('POST', '/collections', {
		collection: 'articles',
		meta: { icon: 'article', note: "The host project's own content" },
		schema: {},
		fields: [
			{ field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
			{ field: 'title', type: 'string', meta: { interface: 'input', required: true }, schema: {} },
			{ field: 'body', type: 'text', meta: { interface: 'input-multiline' }, schema: {} },
		],
	});
	await call('POST', '/collections', {
		collection: 'customers',
		meta: { icon: 'groups', note: 'Our customers since 2019' },
		schema: {},
		fields: [
			{ field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
			{ field: 'name', type: 'string', meta: { interface: 'input', width: 'half' }, schema: {} },
			{ field: 'email', type: 'string', meta: { interface: 'input', width: 'half' }, schema: { is_unique: true } },
			{ field: 'vip', type: 'boolean', meta: { interface: 'boolean' }, schema: { default_value: false } },
		],
	});
	await call('POST', '/items/articles', [
		{ title: 'Welcome', body: 'First post' },
		{ title: 'Pricing', body: 'Our plans' },
	]);
	await call('POST', '/items/customers', [
		{ name: 'Ada Lovelace', email: 'ada@host.example', vip: true },
		{ name: 'Grace Hopper', email: 'grace@host.example', vip: false },
	]);
}, 240_000);

afterAll(async () => {
	await directus?.stop();
	await sim?.close();
	await database?.drop();
	rmSync(tmp, { recursive: true, force: true });
});

describe('adding the plugin to an existing project', () => {
	let before: Awaited<ReturnType<typeof hostState>>;

	test("installs its schema next to the host's, attaches to the host's customers, and changes nothing of theirs", async () => {
		before = await hostState();
		installPackedBundle();
		await boot(withBundle);

		expect(await hostState()).toEqual(before);
		const collections = ((await call('GET', '/collections')).body.data as { collection: string }[]).map((c) => c.collection);
		expect(collections).toEqual(
			expect.arrayContaining(['articles', 'customers', 'nextpanel_servers', 'hosting_accounts', 'nextpanel_logs']),
		);
		const customerFields = ((await call('GET', '/fields/customers')).body.data as { field: string }[]).map((f) => f.field);
		expect(customerFields).toEqual(
			expect.arrayContaining(['provision_hosting', 'hosting_server', 'hosting_username', 'hosting_password', 'hosting_accounts']),
		);
		// Only the plugin's own fields: none of the plugin's demo customer fields.
		expect(customerFields).not.toContain('full_name');
		expect(customerFields).not.toContain('phone');
		const link = (await call('GET', '/fields/hosting_accounts/customer')).body.data;
		expect(link.type).toBe('integer');
		expect((await call('GET', '/nextpanel/status')).body.data).toEqual({
			ready: true,
			problems: [],
			notices: [],
			customers: { collection: 'customers', name_field: 'name', email_field: 'email' },
		});
		// What npm start used to set up, the bundle now sets up itself.
		const policies = (await call('GET', '/policies?filter[name][_eq]=NextPanel operator&fields=id,permissions.collection')).body.data;
		expect(policies).toHaveLength(1);
		expect(policies[0].permissions.map((p: { collection: string }) => p.collection)).toContain('customers');
		const settings = (await call('GET', '/settings?fields=module_bar')).body.data;
		expect(settings.module_bar.map((m: { id: string }) => m.id)).toContain('nextpanel');
		// The customers list layout uses the host's own name and e-mail fields.
		const presets = (await call('GET', '/presets?filter[collection][_eq]=customers&filter[user][_null]=true&filter[role][_null]=true')).body
			.data as { layout_query: { tabular: { fields: string[]; sort: string[] } } }[];
		expect(presets).toHaveLength(1);
		expect(presets[0]!.layout_query.tabular).toMatchObject({ fields: ['name', 'email', 'hosting_accounts'], sort: ['name'] });
	}, 300_000);

	test('provisions for a host customer through REST, the customer hook and a Flow', async () => {
		const server = (
			await call('POST', '/items/nextpanel_servers', {
				name: 'Host panel',
				base_url: sim.apiUrl,
				api_key: 'npk_host',
				api_secret: 'nps_host_secret',
				capacity: 10,
				status: 'active',
			})
		).body.data;
		const [ada, grace] = (await call('GET', '/items/customers?sort=id&fields=id,name,email')).body.data as { id: number; name: string }[];

		const rest = await call('POST', '/nextpanel/accounts', { customer: ada!.id, server: server.id });
		expect(rest.status).toBe(201);
		expect(rest.body.data).toMatchObject({ customer: ada!.id, status: 'active', username: 'adalovelace' });

		await call('PATCH', `/items/customers/${grace!.id}`, { provision_hosting: true, hosting_server: server.id });
		const hooked = await waitFor(async () => {
			const rows = (await call('GET', `/items/hosting_accounts?filter[customer][_eq]=${grace!.id}&fields=status,username`)).body.data;
			return rows[0]?.status === 'active' ? rows[0] : undefined;
		});
		expect(hooked.username).toBe('gracehopper');

		const created = (await call('POST', '/items/customers', { name: 'Katherine Johnson', email: 'katherine@host.example' })).body.data;
		const flow = (
			await call('POST', '/flows', {
				name: 'Provision from a flow',
				status: 'active',
				trigger: 'webhook',
				options: { method: 'GET' },
				accountability: 'activity',
			})
		).body.data;
		const operation = (
			await call('POST', '/operations', {
				flow: flow.id,
				key: 'provision',
				name: 'Provision',
				type: 'nextpanel-provision',
				position_x: 19,
				position_y: 1,
				options: { customer: String(created.id), server: server.id },
			})
		).body.data;
		await call('PATCH', `/flows/${flow.id}`, { operation: operation.id });
		const ran = await call('GET', `/flows/trigger/${flow.id}`);
		expect(ran.status).toBe(200);
		expect(ran.body).toMatchObject({ customer: created.id, status: 'active', username: 'katherinejohnson' });
		await call('DELETE', `/flows/${flow.id}`);

		const remote = await new SimulatorControl(sim.controlUrl).accounts();
		expect(remote.map((a) => a.billing_id).sort()).toEqual([String(ada!.id), String(grace!.id), String(created.id)].sort());
	});

	test('two more restarts change nothing', async () => {
		const host = await hostState();
		const schema = await snapshotOfPlugin();
		const readSteps = async () => {
			const connection = db();
			try {
				return await connection.select('step', 'applied_at').from('nextpanel_install_steps').orderBy('step');
			} finally {
				await connection.destroy();
			}
		};
		const steps = await readSteps();
		for (let i = 0; i < 2; i++) await boot(withBundle);
		expect(await hostState()).toEqual(host);
		expect(await snapshotOfPlugin()).toEqual(schema);
		expect(await readSteps()).toEqual(steps);
	}, 300_000);

	test('an older install (a plugin field and a step missing) is completed on start, and all data stays', async () => {
		const host = await hostState();
		const accountsBefore = (await call('GET', '/items/hosting_accounts?sort=username&fields=id,username,status,nextpanel_account_id')).body
			.data;
		expect((await call('DELETE', '/fields/hosting_accounts/usage_synced_at')).status).toBe(204);
		expect((await call('DELETE', '/fields/customers/hosting_package')).status).toBe(204);
		const connection = db();
		try {
			await connection('nextpanel_install_steps').where({ step: 'remote-billing-id' }).delete();
		} finally {
			await connection.destroy();
		}
		await boot(withBundle);
		expect((await call('GET', '/fields/hosting_accounts/usage_synced_at')).status).toBe(200);
		expect((await call('GET', '/fields/customers/hosting_package')).status).toBe(200);
		expect((await call('GET', '/items/hosting_accounts?sort=username&fields=id,username,status,nextpanel_account_id')).body.data).toEqual(
			accountsBefore,
		);
		expect(await hostState()).toEqual(host);
		const again = db();
		try {
			expect(await again('nextpanel_install_steps').where({ step: 'remote-billing-id' }).first()).toMatchObject({
				step: 'remote-billing-id',
			});
		} finally {
			await again.destroy();
		}
	}, 300_000);

	test("the module in a browser names the host's customers by the host's own fields and collection", async () => {
		// A failed account of a host customer, so "Accounts needing attention" has a row to show.
		const [ada] = (await call('GET', '/items/customers?sort=id&limit=1&fields=id,name')).body.data as { id: number; name: string }[];
		const server = (await call('GET', '/items/nextpanel_servers?limit=1&fields=id')).body.data[0].id as string;
		const failed = { id: randomUUID() };
		const connection = db();
		try {
			await connection('hosting_accounts').insert({
				id: failed.id,
				customer: ada!.id,
				server,
				username: 'hostfailed',
				status: 'failed',
				attempts: 1,
				last_error: 'NextPanel refused it',
			});
		} finally {
			await connection.destroy();
		}
		await waitForAppExtensions(directus!.url);
		const browser = await launchBrowser();
		try {
			const page = await login(browser, directus!.url, credentials.adminEmail, credentials.adminPassword);
			const errors = collectExtensionErrors(page);
			await page.goto(`${directus!.url}/admin/nextpanel`);
			const row = page.locator('[data-testid=attention-list] li[data-username="hostfailed"]');
			await row.waitFor({ timeout: 30_000 });
			expect(await row.locator('a.username').getAttribute('href')).toBe(`/admin/content/customers/${ada!.id}`);
			expect(await row.textContent()).toContain(ada!.name);
			expect(await page.locator('.overview .v-notice.danger').count()).toBe(0);
			expect(await page.locator('[data-testid=nav-customers]').getAttribute('href')).toBe('/admin/content/customers');
			expect(errors).toEqual([]);
		} finally {
			await browser.close();
			await call('DELETE', `/items/hosting_accounts/${failed.id}`);
		}
	}, 180_000);
});

describe('a project the plugin cannot attach to', () => {
	test('Directus still starts; the status route, every route and the log say what to set; nothing is half-applied', async () => {
		mkdirSync(join(tmp, 'other'), { recursive: true });
		const other = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', join(tmp, 'other'));
		const saved = database;
		database = other;
		try {
			await boot(emptyExtensions);
			await call('POST', '/collections', {
				collection: 'clients',
				schema: {},
				meta: {},
				fields: [
					{ field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
					{ field: 'name', type: 'string', meta: {}, schema: {} },
				],
			});
			await boot(withBundle, { ...HOST_ENV, NEXTPANEL_CUSTOMERS_COLLECTION: 'clients' });
			expect((await call('GET', '/server/ping')).status).toBe(200);
			const status = (await call('GET', '/nextpanel/status')).body.data;
			expect(status.ready).toBe(false);
			expect(status.problems.join(' ')).toMatch(
				/has no field "email" \(NEXTPANEL_CUSTOMER_EMAIL_FIELD\); set NEXTPANEL_CUSTOMER_EMAIL_FIELD/,
			);
			const route = await call('POST', '/nextpanel/accounts', { customer: 1 });
			expect(route.status).toBe(503);
			expect(route.body.errors[0].message).toMatch(/NEXTPANEL_CUSTOMER_EMAIL_FIELD/);
			const collections = ((await call('GET', '/collections')).body.data as { collection: string }[]).map((c) => c.collection);
			expect(collections).not.toContain('hosting_accounts');
			expect(collections).not.toContain('nextpanel_servers');
			const clientFields = ((await call('GET', '/fields/clients')).body.data as { field: string }[]).map((f) => f.field);
			expect(clientFields.sort()).toEqual(['id', 'name']);
			expect(readFileSync(directus!.logFile, 'utf8')).toMatch(/nextpanel: nothing was installed: .*NEXTPANEL_CUSTOMER_EMAIL_FIELD/);
		} finally {
			await directus?.stop();
			directus = null;
			await other.drop();
			database = saved;
		}
	}, 300_000);
});
