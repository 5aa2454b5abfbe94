// The production profile: two Directus instances on one PostgreSQL database, sharing Redis for
// cache, rate limiting, synchronisation and the bus (as docker-compose.yml configures them), both
// with the bundle and its schedules. Runs with TEST_DB=pg.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { createSimulator, type Simulator } from '../../../../scripts/simulator/server.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';
import { mapLimited } from '../../src/shared/map-limited.ts';

const REDIS_DB = 11;
const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-prod-'));
const credentials = newCredentials();
let database: TestDatabase;
let db: Knex;
let redis: Redis;
let simulators: Simulator[] = [];
let controls: SimulatorControl[] = [];
let a: BootedDirectus;
let b: BootedDirectus;
const serverIds: string[] = [];

const sharedEnv = {
	REDIS: `redis://127.0.0.1:6379/${REDIS_DB}`,
	CACHE_ENABLED: 'true',
	CACHE_STORE: 'redis',
	CACHE_AUTO_PURGE: 'true',
	RATE_LIMITER_ENABLED: 'true',
	RATE_LIMITER_STORE: 'redis',
	// The whole test comes from one IP address; the limiter must be on but not in the way.
	RATE_LIMITER_POINTS: '100000',
	RATE_LIMITER_DURATION: '1',
	SYNCHRONIZATION_STORE: 'redis',
	MESSENGER_STORE: 'redis',
	NEXTPANEL_WRITE_TIMEOUT_MS: '5000',
	NEXTPANEL_READ_TIMEOUT_MS: '5000',
	NEXTPANEL_LEASE_MS: '8000',
	NEXTPANEL_RETRY_SCHEDULE: '*/2 * * * * *',
};

async function request<T>(instance: BootedDirectus, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
	const response = await fetch(`${instance.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${credentials.adminToken}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json().catch(() => null)) as T };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

beforeAll(async () => {
	database = await createTestDatabase('pg', tmp);
	db = knex({
		client: 'pg',
		connection: {
			host: database.env['DB_HOST'],
			port: Number(database.env['DB_PORT']),
			database: database.env['DB_DATABASE'],
			user: database.env['DB_USER'],
			password: database.env['DB_PASSWORD'],
		},
	});
	redis = new Redis(sharedEnv.REDIS);
	await redis.flushdb();
	simulators = await Promise.all([0, 1].map(() => createSimulator({ keys: [] })));
	controls = simulators.map((sim) => new SimulatorControl(sim.controlUrl));

	a = await bootDirectus({ database: database.env, credentials, tmp, name: 'instance-a', prepare: true, env: sharedEnv });
	b = await bootDirectus({ database: database.env, credentials, tmp, name: 'instance-b', env: sharedEnv });

	for (const [index, control] of controls.entries()) {
		const key = `npk_${randomBytes(6).toString('hex')}`;
		const secret = `nps_${randomBytes(12).toString('hex')}`;
		await control.addKey({ key, secret, level: 'SUPER_ADMIN' });
		const created = await request<{ data: { id: string } }>(a, 'POST', '/items/nextpanel_servers', {
			name: `Server ${index + 1}`,
			base_url: simulators[index]!.apiUrl,
			api_key: key,
			api_secret: secret,
			capacity: 130,
		});
		expect(created.status).toBe(200);
		serverIds.push(created.body.data.id);
	}
}, 240_000);

afterAll(async () => {
	await Promise.all([a?.stop('SIGKILL'), b?.stop()]);
	await Promise.all(simulators.map((sim) => sim.close()));
	await db?.destroy();
	await redis?.flushdb();
	redis?.disconnect();
	await database?.drop();
	rmSync(tmp, { recursive: true, force: true });
}, 60_000);

/** Accounts per status, read from the database itself (the API may serve Redis-cached pages). */
async function statuses(customerIds: string[]): Promise<Record<string, number>> {
	const rows = (await db('hosting_accounts').select('status').count({ n: '*' }).whereIn('customer', customerIds).groupBy('status')) as {
		status: string;
		n: string | number;
	}[];
	return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

async function remoteAccounts(): Promise<{ id: number; username: string; billing_id: string | null; deleted: boolean }[]> {
	return (await Promise.all(controls.map((c) => c.accounts()))).flat();
}

async function createCustomers(count: number, through: (i: number) => BootedDirectus, tag: string): Promise<string[]> {
	return mapLimited(
		Array.from({ length: count }, (_, i) => i),
		25,
		async (i) => {
			const response = await request<{ data: { id: string } }>(through(i), 'POST', '/items/customers', {
				full_name: `${tag} Customer ${i}`,
				email: `${tag}-${i}@example.com`,
				provision_hosting: true,
			});
			expect(response.status).toBe(200);
			return response.body.data.id;
		},
	);
}

describe('two Directus instances sharing PostgreSQL and Redis', () => {
	test('200 customers with the flag, created concurrently through both: 200 active accounts, 200 creates, no server over capacity', async () => {
		const customers = await createCustomers(200, (i) => (i % 2 === 0 ? a : b), 'load');
		await waitUntil(async () => (await statuses(customers))['active'] === 200, 120_000, '200 active accounts');

		const remote = (await remoteAccounts()).filter((account) => customers.includes(account.billing_id ?? ''));
		expect(remote).toHaveLength(200);
		expect(new Set(remote.map((r) => r.username)).size).toBe(200);
		const creates = (await Promise.all(controls.map((c) => c.calls({ method: 'POST', path: '/api/v1/billing/accounts' }))))
			.flatMap((r) => r.calls)
			.filter((c) => c.status === 201);
		expect(creates).toHaveLength(200);
		const perServer = (await db('hosting_accounts')
			.select('server')
			.count({ n: '*' })
			.whereIn('status', ['provisioning', 'active', 'suspended'])
			.groupBy('server')) as { n: string | number }[];
		for (const row of perServer) expect(Number(row.n)).toBeLessThanOrEqual(130);
	}, 180_000);

	test('the state a provisioning writes is what both instances read next, through their shared Redis cache', async () => {
		for (const control of controls)
			await control.addFault({ kind: 'latency', ms: 1500, match: { method: 'POST', path: '/api/v1/billing/accounts' } });
		const created = await request<{ data: { id: string } }>(a, 'POST', '/items/customers', {
			full_name: 'Cache Customer',
			email: 'cache@example.com',
		});
		const customer = created.body.data.id;
		const provisioning = request<{ data: { status: string } }>(a, 'POST', '/nextpanel/accounts', { customer, server: serverIds[0] });
		await waitUntil(async () => (await statuses([customer]))['provisioning'] === 1, 20_000, 'a provisioning in flight');
		const path = `/items/hosting_accounts?filter[customer][_eq]=${customer}&fields=status`;
		const statusThrough = async (instance: BootedDirectus) =>
			(await request<{ data: { status: string }[] }>(instance, 'GET', path)).body.data.map((row) => row.status);
		// Both answers are in the shared cache now.
		expect(await statusThrough(a)).toEqual(['provisioning']);
		expect(await statusThrough(b)).toEqual(['provisioning']);

		expect((await provisioning).body.data.status).toBe('active');
		for (const control of controls) await control.clearFaults();
		expect(await statusThrough(a)).toEqual(['active']);
		expect(await statusThrough(b)).toEqual(['active']);
	}, 60_000);

	test('the overdue job run on both instances at the same moment: each due account is suspended once', async () => {
		const due = (await db('hosting_accounts').select('id', 'nextpanel_account_id', 'server').where({ status: 'active' }).limit(40)) as {
			id: string;
			nextpanel_account_id: number;
			server: string;
		}[];
		expect(due).toHaveLength(40);
		const paidUntil = new Date(Date.now() - 10 * 86_400_000);
		await db('hosting_accounts')
			.whereIn(
				'id',
				due.map((row) => row.id),
			)
			.update({ paid_until: paidUntil });
		expect((await request(a, 'PATCH', '/items/nextpanel_settings', { overdue_max_actions_per_run: 100 })).status).toBe(200);
		for (const control of controls) await control.resetCalls();

		const [first, second] = await Promise.all([
			request<{ data: { processed: number; failed: number } }>(a, 'POST', '/nextpanel/jobs/overdue', {}),
			request<{ data: { processed: number; failed: number } }>(b, 'POST', '/nextpanel/jobs/overdue', {}),
		]);
		expect([first.status, second.status]).toEqual([200, 200]);
		expect(first.body.data.processed + second.body.data.processed).toBe(40);
		const after = await db('hosting_accounts')
			.select('status')
			.whereIn(
				'id',
				due.map((row) => row.id),
			);
		expect(after.every((row) => row.status === 'suspended')).toBe(true);
		const suspends = (
			await Promise.all(controls.map((c) => c.calls({ method: 'POST', path: '/api/v1/billing/accounts/*/suspend' })))
		).flatMap((r) => r.calls);
		expect(suspends).toHaveLength(40);
		await db('hosting_accounts')
			.whereIn(
				'id',
				due.map((row) => row.id),
			)
			.update({ paid_until: null });
	}, 120_000);

	test('kill -9 of one instance with 50 provisions in flight: the survivor finishes every one, once', async () => {
		// Slow creates keep provisioning runs in flight when the instance dies; some creates
		// reach NextPanel and are committed there without the dead instance ever hearing back.
		for (const control of controls)
			await control.addFault({ kind: 'latency', ms: 1500, match: { method: 'POST', path: '/api/v1/billing/accounts' } });
		const customers = await createCustomers(50, () => a, 'crash');
		await waitUntil(async () => ((await statuses(customers))['provisioning'] ?? 0) > 0, 20_000, 'provisions in flight');
		await a.stop('SIGKILL');
		const atKill = await statuses(customers);
		expect((atKill['provisioning'] ?? 0) + (atKill['pending'] ?? 0)).toBeGreaterThan(0);

		for (const control of controls) await control.clearFaults();
		await waitUntil(
			async () => {
				const now = await statuses(customers);
				return (now['active'] ?? 0) + (now['failed'] ?? 0) === 50;
			},
			120_000,
			'every account active or failed',
		);

		const rows = (await db('hosting_accounts')
			.select('username', 'status', 'last_error', 'nextpanel_account_id')
			.whereIn('customer', customers)) as {
			username: string;
			status: string;
			last_error: string | null;
			nextpanel_account_id: number | null;
		}[];
		expect(rows).toHaveLength(50);
		// Every one finished: none failed (listed with its error if one did).
		expect(rows.filter((r) => r.status !== 'active').map((r) => `${r.username}: ${r.status} (${r.last_error})`)).toEqual([]);
		// Once: one live NextPanel account per row, and it is the one the row points at.
		const remote = (await remoteAccounts()).filter((account) => !account.deleted && customers.includes(account.billing_id ?? ''));
		expect(remote).toHaveLength(50);
		for (const row of rows) {
			const matching = remote.filter((r) => r.username === row.username);
			expect(matching, row.username).toHaveLength(1);
			expect(Number(row.nextpanel_account_id), row.username).toBe(matching[0]!.id);
		}
	}, 240_000);
});
