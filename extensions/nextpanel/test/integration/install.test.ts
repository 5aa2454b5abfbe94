// The bundle installing its own schema into an empty project: what it creates is exactly the
// reviewed reference (snapshots/schema.yaml), and two instances starting at the same moment on
// the same empty database install it once between them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { prepareDatabase, directusEnv } from '../../../../scripts/lib/directus-process.ts';
import { snapshotPath } from '../../../../scripts/lib/paths.ts';
import { pluginPart, type Snapshot } from '../../../../scripts/lib/schema-types.ts';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-install-'));
const databases: TestDatabase[] = [];
const running: BootedDirectus[] = [];
const kind = process.env['TEST_DB'] ?? 'sqlite';

afterAll(async () => {
	await Promise.all(running.map((server) => server.stop()));
	for (const database of databases) await database.drop();
	rmSync(tmp, { recursive: true, force: true });
});

async function freshDatabase(name: string): Promise<TestDatabase> {
	const folder = join(tmp, name);
	mkdirSync(folder, { recursive: true });
	const database = await createTestDatabase(kind, folder);
	databases.push(database);
	return database;
}

async function get<T>(server: BootedDirectus, token: string, path: string): Promise<T> {
	const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
	expect(response.status, path).toBe(200);
	return ((await response.json()) as { data: T }).data;
}

/** What makes two schemas the same for Directus on any database: names, types, meta, and the relations' rules. */
function comparable(snapshot: Snapshot) {
	const part = pluginPart(snapshot);
	const byKey = <T extends { collection: string; field?: string }>(items: T[]) =>
		[...items].sort((a, b) => `${a.collection}.${a.field ?? ''}`.localeCompare(`${b.collection}.${b.field ?? ''}`));
	return {
		collections: byKey(part.collections).map((c) => ({ collection: c.collection, meta: c.meta })),
		fields: byKey(part.fields).map((f) => ({
			collection: f.collection,
			field: f.field,
			// A key to a UUID is a uuid column where the database has the type, a char(36) string where it has not.
			type: f.type === 'uuid' && f.schema?.['foreign_key_table'] ? 'string' : f.type,
			meta: f.meta,
			nullable: f.schema?.['is_nullable'] ?? null,
			// A primary key is unique on PostgreSQL's report, not on SQLite's.
			unique: f.schema?.['is_primary_key'] ? true : (f.schema?.['is_unique'] ?? null),
		})),
		relations: byKey(part.relations).map((r) => ({
			collection: r.collection,
			field: r.field,
			related_collection: r.related_collection,
			meta: r.meta && { ...r.meta, id: undefined },
			on_delete: r.schema?.['on_delete'] ?? null,
		})),
	};
}

describe('installing into an empty project', () => {
	test('produces exactly the reviewed reference, snapshots/schema.yaml', async () => {
		const database = await freshDatabase('single');
		const credentials = newCredentials();
		const server = await bootDirectus({ database: database.env, credentials, tmp, name: 'install-single', prepare: true });
		running.push(server);
		const live = await get<Snapshot>(server, credentials.adminToken, '/schema/snapshot');
		const reference = parse(readFileSync(snapshotPath, 'utf8')) as Snapshot;
		if (kind === 'sqlite') {
			// Same vendor as the reference: every detail, database types included.
			expect(pluginPart(live)).toEqual({ ...pluginPart(reference), vendor: live.vendor });
		} else {
			expect(comparable(live)).toEqual(comparable(reference));
		}
		await server.stop();
	}, 300_000);

	test('two instances starting at the same moment install it once, and both serve it', async () => {
		const database = await freshDatabase('pair');
		const credentials = newCredentials();
		// Directus's own tables first, as the compose recipe's bootstrap service does.
		await prepareDatabase(
			directusEnv({
				...database.env,
				KEY: credentials.key,
				SECRET: credentials.secret,
				ADMIN_EMAIL: credentials.adminEmail,
				ADMIN_PASSWORD: credentials.adminPassword,
				ADMIN_TOKEN: credentials.adminToken,
			}),
		);
		const pair = await Promise.all(
			['a', 'b'].map((name) => bootDirectus({ database: database.env, credentials, tmp, name: `install-${name}` })),
		);
		running.push(...pair);
		for (const server of pair) {
			const status = await get<{ ready: boolean; problems: string[] }>(server, credentials.adminToken, '/nextpanel/status');
			expect(status).toEqual({
				ready: true,
				problems: [],
				notices: [],
				customers: { collection: 'customers', name_field: 'full_name', email_field: 'email' },
			});
		}
		const policies = await get<unknown[]>(pair[0]!, credentials.adminToken, '/policies?filter[name][_eq]=NextPanel operator&fields=id');
		expect(policies).toHaveLength(1);
		const presets = await get<unknown[]>(
			pair[0]!,
			credentials.adminToken,
			'/presets?filter[collection][_eq]=hosting_accounts&filter[user][_null]=true&fields=id',
		);
		expect(presets).toHaveLength(1);
		const logs = pair.map((server) => readFileSync(server.logFile, 'utf8'));
		// One instance installed; the other waited for it and found the schema up to date.
		expect(logs.filter((log) => /nextpanel: installed collections/.test(log))).toHaveLength(1);
		expect(logs.filter((log) => /nextpanel: schema up to date/.test(log))).toHaveLength(1);
		await Promise.all(pair.map((server) => server.stop()));
	}, 300_000);
});
