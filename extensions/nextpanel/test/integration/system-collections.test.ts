// A configuration that names a Directus system collection (or one of the plugin's own) as the
// customer collection is refused before anything is written: Directus starts, the log and
// /nextpanel/status say why, and no field, relation or permission lands on that collection.
// Going back to a good configuration installs normally, and the system collection still works.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';
import { parse } from 'yaml';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectRoot } from '../../../../scripts/lib/paths.ts';
import { unique } from '../harness/client.ts';

const PLUGIN_FIELDS = [
	'hosting',
	'hosting_panel',
	'provision_hosting',
	'hosting_server',
	'hosting_username',
	'hosting_password',
	'hosting_package',
	'hosting_accounts',
];

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

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-system-'));
const credentials = newCredentials();
let database: TestDatabase;
let directus: BootedDirectus | null = null;
let db: Knex;

async function call(method: string, path: string, body?: unknown) {
	const response = await fetch(`${directus!.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${credentials.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

async function boot(env: Record<string, string>, prepare = false): Promise<void> {
	await directus?.stop();
	directus = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name: `system-${Date.now()}`,
		prepare,
		env: { NEXTPANEL_WELCOME_MAIL: 'false', ...env },
	});
}

function openDatabase(): Knex {
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

/** Everything the plugin could have left on a collection: fields, relations and permissions. */
async function touches(collection: string) {
	return {
		fields: await db('directus_fields').select('field').where({ collection }),
		// The plugin's own collections may point at directus_users (user_created); a customer link may not.
		relations: await db('directus_relations')
			.select('many_collection', 'many_field')
			.where({ many_collection: collection })
			.orWhere({ one_collection: collection, many_field: 'customer' }),
		permissions: await db('directus_permissions').select('policy', 'action').where({ collection }),
	};
}

beforeAll(async () => {
	mkdirSync(join(tmp, 'db'), { recursive: true });
	database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', join(tmp, 'db'));
	await boot(
		{
			NEXTPANEL_CUSTOMERS_COLLECTION: 'directus_users',
			NEXTPANEL_CUSTOMER_NAME_FIELD: 'first_name',
			NEXTPANEL_CUSTOMER_EMAIL_FIELD: 'email',
		},
		true,
	);
	db = openDatabase();
}, 240_000);

afterAll(async () => {
	await db?.destroy();
	await directus?.stop();
	await database?.drop();
	rmSync(tmp, { recursive: true, force: true });
});

describe('a customer collection that is not a content collection of the project', () => {
	test('directus_users: Directus starts, nothing is written to it, and the log and /nextpanel/status say why', async () => {
		expect(await touches('directus_users')).toEqual({ fields: [], relations: [], permissions: [] });
		const status = await call('GET', '/nextpanel/status');
		expect(status.status).toBe(200);
		expect(status.body.data.ready).toBe(false);
		expect(status.body.data.problems.join(' ')).toMatch(/"directus_users", a Directus system collection/);
		expect(readFileSync(directus!.logFile, 'utf8')).toMatch(/nothing was installed: NEXTPANEL_CUSTOMERS_COLLECTION is \\?"directus_users/);
		// Directus's own users still work.
		const user = await call('POST', '/users', { email: `${unique('u')}@example.com`, password: 'a-long-password-1' });
		expect(user.status, user.text).toBe(200);
	});

	test.each([
		[
			'another system collection',
			{
				NEXTPANEL_CUSTOMERS_COLLECTION: 'directus_roles',
				NEXTPANEL_CUSTOMER_NAME_FIELD: 'name',
				NEXTPANEL_CUSTOMER_EMAIL_FIELD: 'description',
			},
			'directus_roles',
			/a Directus system collection/,
		],
		[
			"one of the plugin's own collections",
			{ NEXTPANEL_CUSTOMERS_COLLECTION: 'nextpanel_logs' },
			'nextpanel_logs',
			/one of the plugin's own collections/,
		],
		[
			'a name field the plugin adds itself',
			{ NEXTPANEL_CUSTOMER_NAME_FIELD: 'hosting_username' },
			'customers',
			/a field the plugin adds itself/,
		],
	])('%s is refused the same way', async (_label, env, collection, reason) => {
		await boot(env as Record<string, string>);
		expect(await touches(collection)).toEqual({ fields: [], relations: [], permissions: [] });
		const status = await call('GET', '/nextpanel/status');
		expect(status.body.data.ready).toBe(false);
		expect(status.body.data.problems.join(' ')).toMatch(reason);
	});

	test('back to a good configuration: the plugin installs, and directus_users still has nothing of it', async () => {
		await boot({});
		const status = await call('GET', '/nextpanel/status');
		expect(status.body.data.problems.filter((p: string) => !/ENCRYPTION_KEY/.test(p))).toEqual([]);
		expect((await db('directus_fields').where({ collection: 'customers', field: 'provision_hosting' })).length).toBe(1);
		expect(await touches('directus_users')).toEqual({ fields: [], relations: [], permissions: [] });
		const user = await call('POST', '/users', { email: `${unique('u')}@example.com`, password: 'a-long-password-1' });
		expect(user.status, user.text).toBe(200);
	});
});

describe('npm run cli -- repair: undoing what an earlier version put on directus_users', () => {
	/** What a version before the guard did with NEXTPANEL_CUSTOMERS_COLLECTION=directus_users, rebuilt from the reference schema. */
	async function damageAsAnEarlierVersionDid(): Promise<{ policy: string; preset: number }> {
		const reference = parse(readFileSync(join(projectRoot, 'snapshots/schema.yaml'), 'utf8')) as {
			fields: {
				collection: string;
				field: string;
				type: string;
				meta: Record<string, unknown> | null;
				schema: Record<string, unknown> | null;
			}[];
		};
		const own = reference.fields.filter((f) => f.collection === 'customers' && PLUGIN_FIELDS.includes(f.field));
		// Groups first, so that the fields inside them find them.
		for (const field of [...own].sort(
			(a, b) => Number(!a.meta?.['special']?.toString().includes('group')) - Number(!b.meta?.['special']?.toString().includes('group')),
		)) {
			const { id: _id, ...meta } = field.meta ?? {};
			const schema = field.schema ? { default_value: field.schema['default_value'] ?? null, is_nullable: true } : null;
			const created = await call('POST', '/fields/directus_users', {
				field: field.field,
				// The snapshot comes from SQLite, where a key to a UUID reads as a string; the installer made it a UUID.
				type: field.field === 'hosting_server' ? 'uuid' : field.type,
				meta: { ...meta, collection: 'directus_users' },
				schema,
			});
			expect(created.status, created.text).toBe(200);
		}
		expect(
			(await call('POST', '/relations', { collection: 'directus_users', field: 'hosting_server', related_collection: 'nextpanel_servers' }))
				.status,
		).toBe(200);
		// The link field as that version made it: a key to directus_users.
		const customerField = (await call('GET', '/fields/hosting_accounts/customer')).body.data;
		expect((await call('DELETE', '/fields/hosting_accounts/customer')).status).toBe(204);
		const { id: _fieldId, ...customerMeta } = customerField.meta;
		expect(
			(
				await call('POST', '/fields/hosting_accounts', {
					field: 'customer',
					type: 'uuid',
					meta: customerMeta,
					schema: { is_nullable: true },
				})
			).status,
		).toBe(200);
		const link = await call('POST', '/relations', {
			collection: 'hosting_accounts',
			field: 'customer',
			related_collection: 'directus_users',
			meta: { one_field: 'hosting_accounts' },
			schema: { on_delete: 'SET NULL' },
		});
		expect(link.status, link.text).toBe(200);
		const policy = (await call('GET', '/policies?filter[name][_eq]=NextPanel operator&fields=id')).body.data[0].id as string;
		for (const action of ['create', 'read', 'update']) {
			await call('POST', '/permissions', { policy, collection: 'directus_users', action, fields: ['*'], permissions: {}, validation: {} });
		}
		const preset = (
			await call('POST', '/presets', {
				collection: 'directus_users',
				layout: 'tabular',
				layout_query: { tabular: { fields: ['first_name', 'email', 'hosting_accounts'] } },
			})
		).body.data.id as number;
		// The install log of that version, as the upgrade step infers it.
		await db('nextpanel_install_steps').insert({
			step: `created:preset:${preset}`,
			applied_at: Date.now(),
			detail: JSON.stringify({ kind: 'preset', name: String(preset), how: 'inferred' }),
		});
		return { policy, preset };
	}

	test("finds the plugin's fields, link, grants and preset by its marks, leaves the administrator's own, and the project works again", async () => {
		// What an administrator added to system collections themselves, which must stay: a field,
		// a field named like one of the plugin's but without its mark, and a read grant.
		await call('POST', '/fields/directus_users', { field: 'nickname', type: 'string', meta: { interface: 'input' }, schema: {} });
		await call('POST', '/fields/directus_roles', { field: 'hosting_panel', type: 'string', meta: { interface: 'input' }, schema: {} });
		const support = (await call('POST', '/policies', { name: 'Support', app_access: true })).body.data.id as string;
		await call('POST', '/permissions', {
			policy: support,
			collection: 'directus_users',
			action: 'read',
			fields: ['*'],
			permissions: {},
			validation: {},
		});
		const { policy, preset } = await damageAsAnEarlierVersionDid();
		// Directus starts with it, and the log says what to run.
		await boot({});
		expect(readFileSync(directus!.logFile, 'utf8')).toMatch(
			/an earlier version left field directus_users\.\w+.*npm run cli -- repair --dry-run/,
		);

		const dry = await call('POST', '/nextpanel/repair', { dry_run: true });
		expect(dry.status, dry.text).toBe(200);
		const repairs: string[] = dry.body.data.plan.repairs;
		expect(repairs).toEqual(
			expect.arrayContaining([
				'field directus_users.provision_hosting',
				'field directus_users.hosting_accounts',
				'field directus_users.hosting',
				expect.stringMatching(/^relation hosting_accounts\.customer → directus_users/),
				'create permission of the policy "NextPanel operator" on directus_users',
				`list preset #${preset} of directus_users`,
			]),
		);
		expect(repairs.filter((r) => r.startsWith('field '))).toHaveLength(PLUGIN_FIELDS.length);
		expect(repairs.join(' ')).not.toMatch(/nickname|directus_roles|Support/);
		expect((await db('directus_fields').where({ collection: 'directus_users' })).length).toBe(PLUGIN_FIELDS.length + 1);

		const repaired = await cli('repair');
		expect(repaired.code, repaired.stdout).toBe(0);
		expect(repaired.stdout).toMatch(/Repaired:/);
		expect((await db('directus_fields').select('field').where({ collection: 'directus_users' })).map((f) => f.field)).toEqual(['nickname']);
		expect((await db('directus_fields').select('field').where({ collection: 'directus_roles' })).map((f) => f.field)).toEqual([
			'hosting_panel',
		]);
		expect(
			await db('directus_relations')
				.where({ many_collection: 'directus_users' })
				.orWhere({ one_collection: 'directus_users', many_field: 'customer' }),
		).toEqual([]);
		expect(await db('directus_permissions').select('policy', 'action').where({ collection: 'directus_users' })).toEqual([
			{ policy: support, action: 'read' },
		]);
		expect(await db('directus_permissions').where({ policy, collection: 'customers' })).toHaveLength(3);
		expect(await db('directus_presets').where({ id: preset })).toEqual([]);
		const user = await call('POST', '/users', { email: `${unique('u')}@example.com`, password: 'a-long-password-1' });
		expect(user.status, user.text).toBe(200);

		// The next start links hosting accounts to the customer collection again.
		await boot({});
		expect((await call('GET', '/nextpanel/status')).body.data.problems.filter((p: string) => !/ENCRYPTION_KEY/.test(p))).toEqual([]);
		const relation = await db('directus_relations')
			.select('one_collection')
			.where({ many_collection: 'hosting_accounts', many_field: 'customer' });
		expect(relation).toEqual([{ one_collection: 'customers' }]);
		expect((await call('POST', '/nextpanel/repair', { dry_run: true })).body.data.plan.repairs).toEqual([]);
	});
});
