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
import { unique } from '../harness/client.ts';

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
