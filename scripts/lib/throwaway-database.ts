// Throwaway databases for one test run: a SQLite file in the run's temporary folder, or a fresh
// PostgreSQL database on the local server when TEST_DB=pg (dropped afterwards).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';

export interface TestDatabase {
	env: Record<string, string>;
	describe: string;
	drop(): Promise<void>;
}

const adminUrl = () => process.env['TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createTestDatabase(kind: string, tmp: string): Promise<TestDatabase> {
	if (kind === 'sqlite' || kind === 'sqlite3') {
		const filename = join(tmp, 'directus.db');
		return { env: { DB_CLIENT: 'sqlite3', DB_FILENAME: filename }, describe: `SQLite ${filename}`, drop: async () => undefined };
	}
	if (kind !== 'pg' && kind !== 'postgres') throw new Error(`TEST_DB=${kind} is not supported; use sqlite (default) or pg`);
	const name = `nextpanel_test_${randomBytes(4).toString('hex')}`;
	const admin = new pg.Client({ connectionString: adminUrl() });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(adminUrl());
	return {
		env: {
			DB_CLIENT: 'pg',
			DB_HOST: url.hostname,
			DB_PORT: url.port || '5432',
			DB_DATABASE: name,
			DB_USER: decodeURIComponent(url.username || 'postgres'),
			DB_PASSWORD: decodeURIComponent(url.password),
		},
		describe: `PostgreSQL database ${name}`,
		async drop() {
			const client = new pg.Client({ connectionString: adminUrl() });
			await client.connect();
			await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await client.end();
		},
	};
}

/** A knex connection to the database Directus runs on, from its DB_* variables. */
export function connectTo(env: Record<string, string | undefined>): Knex {
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
