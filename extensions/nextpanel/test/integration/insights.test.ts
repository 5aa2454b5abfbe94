// The insight routes: every figure is what the seeded rows imply, counted by the database. Rows
// are written straight into the tables (as the bench does), on servers of this file, so the
// numbers are exact whatever other files left behind; the provisioning and call figures use days
// of 2024 that nothing else writes to. A caller who may not read what a figure is counted from
// gets 403 and no figure; bad query strings are 400s that say why.
import { randomBytes, randomUUID } from 'node:crypto';
import {
	createPermission,
	createPolicy,
	createRole,
	createUser,
	deleteItem,
	deletePermission,
	deletePolicy,
	deleteRole,
	deleteUser,
	readPermissions,
} from '@directus/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	accountsInsightSchema,
	callsInsightSchema,
	capacityInsightSchema,
	provisioningInsightSchema,
	usageInsightSchema,
} from '../../src/shared/wire/insights.ts';
import { INSIGHT_INDEXES } from '../../src/core/insights/indexes.ts';
import { api, errorOf, harness, rawDatabase, registerServer, sdk, unique, type RegisteredServer } from '../harness/client.ts';

const db = rawDatabase();
const sqlite = harness().databaseEnv['DB_CLIENT'] === 'sqlite3';
const stamp = (iso: string | Date) => {
	const date = typeof iso === 'string' ? new Date(iso) : iso;
	return sqlite ? String(date.getTime()) : date;
};
/** A date field the way Directus writes one: local midnight. */
const dayValue = (offset: number) => {
	const date = new Date();
	date.setHours(0, 0, 0, 0);
	date.setDate(date.getDate() + offset);
	return date;
};

let mine: RegisteredServer;
let other: RegisteredServer;
const accountIds: string[] = [];
const logIds: number[] = [];
const cleanup: (() => Promise<unknown>)[] = [];
let nobodyToken: string | null = null;

async function account(server: string, fields: Record<string, unknown>): Promise<string> {
	const id = randomUUID();
	await db('hosting_accounts').insert({
		id,
		server,
		username: unique('ins'),
		status: 'active',
		// Never due for the retry job: these rows stay as seeded.
		next_attempt_ms: Date.now() + 10 * 365 * 86_400_000,
		...fields,
	});
	accountIds.push(id);
	return id;
}

async function log(row: {
	at: string;
	action: string;
	outcome: 'ok' | 'error';
	server: string;
	account?: string | null;
	message?: string;
}) {
	const [inserted] = await db('nextpanel_logs')
		.insert({
			date_created: stamp(row.at),
			action: row.action,
			outcome: row.outcome,
			server: row.server,
			hosting_account: row.account ?? null,
			http_status: row.outcome === 'ok' ? 200 : 500,
			duration_ms: 12,
			error_code: row.outcome === 'ok' ? null : 'server_error',
			message: row.message ?? null,
			request: JSON.stringify({ method: 'GET', path: '/x' }),
			response: 'null',
		})
		.returning('id');
	logIds.push(Number(typeof inserted === 'object' ? (inserted as { id: number }).id : inserted));
}

const get = (path: string, as: 'admin' | 'operator' | 'viewer' | 'public' = 'admin') => api('GET', `/nextpanel/insights/${path}`, { as });
const nobody = (path: string) =>
	fetch(`${harness().url}/nextpanel/insights/${path}`, { headers: { Authorization: `Bearer ${nobodyToken}` } }).then(async (r) => ({
		status: r.status,
		body: (await r.json()) as { errors?: { message: string }[]; data?: unknown },
	}));

beforeAll(async () => {
	mine = await registerServer({ capacity: 10, status: 'disabled', name: unique('Insights ') });
	other = await registerServer({ capacity: 5, status: 'disabled', name: unique('Insights other ') });
	await db('nextpanel_servers')
		.where({ id: mine.id })
		.update({ last_check_status: 'ok', last_check_at: stamp('2024-06-01T10:00:00Z') });

	// Accounts on `mine`: 3 active, 2 suspended (one by the overdue job), 1 failed, 1 pending, 1 terminated.
	const a1 = await account(mine.id, {
		paid_until: dayValue(3),
		disk_used_mb: 900,
		disk_limit_mb: 1000,
		bandwidth_used_mb: 10,
		bandwidth_limit_mb: 100,
	});
	await account(mine.id, {
		paid_until: dayValue(3),
		overdue_exempt: true,
		disk_used_mb: 100,
		disk_limit_mb: 1000,
		bandwidth_used_mb: 95,
		bandwidth_limit_mb: 100,
	});
	await account(mine.id, {
		paid_until: dayValue(10),
		disk_used_mb: 500,
		disk_limit_mb: null,
		bandwidth_used_mb: null,
		bandwidth_limit_mb: null,
	});
	await account(mine.id, {
		status: 'suspended',
		overdue_suspended_at: stamp(new Date()),
		paid_until: dayValue(-20),
		disk_used_mb: 50,
		disk_limit_mb: 100,
	});
	await account(mine.id, { status: 'suspended', paid_until: dayValue(2), bandwidth_used_mb: 300, bandwidth_limit_mb: 200 });
	await account(mine.id, { status: 'failed' });
	await account(mine.id, { status: 'pending' });
	await account(mine.id, { status: 'terminated', disk_used_mb: 999, disk_limit_mb: 1000 });
	await account(other.id, { status: 'active', paid_until: dayValue(1), disk_used_mb: 99, disk_limit_mb: 100 });

	// Provisioning around Berlin's spring DST change (2024-03-31, 23 hours long).
	const [a, b, c] = [a1, await account(mine.id, { status: 'terminated' }), await account(mine.id, { status: 'active' })];
	await log({ at: '2024-03-29T22:59:00Z', action: 'create_account', outcome: 'error', server: mine.id, account: c });
	await log({ at: '2024-03-30T22:30:00Z', action: 'create_account', outcome: 'error', server: mine.id, account: a });
	await log({ at: '2024-03-30T23:30:00Z', action: 'create_account', outcome: 'ok', server: mine.id, account: a });
	await log({ at: '2024-03-31T12:00:00Z', action: 'get_stats', outcome: 'ok', server: mine.id, account: a });
	await log({ at: '2024-03-31T21:59:00Z', action: 'create_account', outcome: 'ok', server: mine.id, account: b });
	await log({ at: '2024-03-31T22:00:00Z', action: 'delete_account', outcome: 'ok', server: mine.id, account: b });
	await log({ at: '2024-04-01T10:00:00Z', action: 'delete_account', outcome: 'error', server: mine.id, account: b });
	await log({ at: '2024-04-01T22:00:00Z', action: 'create_account', outcome: 'ok', server: mine.id, account: c });
	await log({ at: '2024-03-31T10:00:00Z', action: 'create_account', outcome: 'ok', server: other.id });

	// Calls in May 2024: 5 calls on `mine` (2 failed) plus an audit row, 1 on `other`.
	await log({ at: '2024-05-01T08:00:00Z', action: 'health', outcome: 'ok', server: mine.id });
	await log({ at: '2024-05-01T09:00:00Z', action: 'get_stats', outcome: 'error', server: mine.id, account: a, message: 'first failure' });
	await log({ at: '2024-05-01T10:00:00Z', action: 'list_accounts', outcome: 'ok', server: mine.id });
	await log({
		at: '2024-05-02T11:00:00Z',
		action: 'suspend_account',
		outcome: 'error',
		server: mine.id,
		account: a,
		message: 'second failure',
	});
	await log({ at: '2024-05-02T12:00:00Z', action: 'health', outcome: 'ok', server: mine.id });
	await log({ at: '2024-05-02T13:00:00Z', action: 'reveal_password', outcome: 'ok', server: mine.id, account: a });
	await log({ at: '2024-05-02T14:00:00Z', action: 'health', outcome: 'error', server: other.id, message: 'other failure' });

	// Signed in, and may read the call log only: no hosting accounts, no servers.
	const policy = (await sdk().request(
		createPolicy({
			name: unique('Logs only '),
			app_access: true,
			admin_access: false,
			permissions: [{ collection: 'nextpanel_logs', action: 'read', fields: ['*'], permissions: {}, validation: {} }],
		} as never),
	)) as { id: string };
	cleanup.push(() => sdk().request(deletePolicy(policy.id)));
	const role = (await sdk().request(
		createRole({ name: unique('Logs only '), policies: { create: [{ policy: policy.id }] } } as never),
	)) as {
		id: string;
	};
	cleanup.push(() => sdk().request(deleteRole(role.id)));
	try {
		const token = randomBytes(24).toString('hex');
		const user = (await sdk().request(
			createUser({ email: `${unique('logs')}@example.com`, password: randomBytes(12).toString('hex'), role: role.id, token } as never),
		)) as { id: string };
		cleanup.unshift(() => sdk().request(deleteUser(user.id)));
		nobodyToken = token;
	} catch {
		// The licence's seat limit: the viewer (no call-log access) covers the 403 below.
	}
});

afterAll(async () => {
	await db('nextpanel_logs').whereIn('id', logIds).delete();
	await db('hosting_accounts').whereIn('id', accountIds).delete();
	for (const server of [mine, other]) {
		// A server other rows still point at (its registration's calls) stays, disabled.
		if (server)
			await sdk()
				.request(deleteItem('nextpanel_servers', server.id))
				.catch(() => undefined);
	}
	for (const step of cleanup) await step();
	await db.destroy();
});

describe('GET /nextpanel/insights/accounts', () => {
	test('counts by status for one server, with overdue and due within 7 days', async () => {
		const response = await get(`accounts?server=${mine.id}`);
		expect(response.status, response.text).toBe(200);
		expect(accountsInsightSchema.parse(response.body.data)).toEqual({
			server: mine.id,
			total: 10,
			by_status: { pending: 1, provisioning: 0, active: 4, suspended: 2, failed: 1, terminated: 2 },
			overdue: 1,
			// Active, not exempt, paid until today..today+7: the exempt one and the suspended one do not count.
			due_in_7_days: 1,
		});
	});

	test('without a server, every account; the statuses add up to the total', async () => {
		const all = accountsInsightSchema.parse((await get('accounts')).body.data);
		const byStatus = Object.values(all.by_status).reduce((sum, n) => sum + n, 0);
		expect(all.server).toBeNull();
		expect(all.total).toBe(byStatus);
		expect(all.total).toBeGreaterThanOrEqual(11);
		expect(all.due_in_7_days).toBeGreaterThanOrEqual(2);
	});
});

describe('GET /nextpanel/insights/capacity', () => {
	test('used against capacity per server, with health and the last check; the same figures as /servers/capacity', async () => {
		const response = await get('capacity');
		expect(response.status, response.text).toBe(200);
		const rows = capacityInsightSchema.parse(response.body.data);
		const row = rows.find((r) => r.id === mine.id);
		// Slots: active (4) and suspended (2); pending, failed and terminated take none.
		expect(row).toMatchObject({
			used: 6,
			capacity: 10,
			free: 4,
			status: 'disabled',
			health: 'ok',
			last_check_at: '2024-06-01T10:00:00.000Z',
		});
		expect(rows.find((r) => r.id === other.id)).toMatchObject({ used: 1, capacity: 5, free: 4, health: null, last_check_at: null });
		const cards = (await api('GET', '/nextpanel/servers/capacity')).body.data as {
			id: string;
			active_accounts: number;
			free_slots: number;
		}[];
		for (const card of cards) {
			const same = rows.find((r) => r.id === card.id)!;
			expect([same.used, same.free]).toEqual([card.active_accounts, card.free_slots]);
		}
	});
});

describe('GET /nextpanel/insights/provisioning', () => {
	const buckets = async (query: string) => {
		const response = await get(`provisioning?${query}`);
		expect(response.status, response.text).toBe(200);
		return provisioningInsightSchema.parse(response.body.data);
	};
	const counts = (b: { date: string; created: number; failed: number; retried: number; terminated: number }[]) =>
		b.map((x) => [x.date, x.created, x.failed, x.retried, x.terminated]);

	test('day buckets in Berlin across the DST change: each row on its local day, the range ends included', async () => {
		const answer = await buckets(`from=2024-03-30&to=2024-04-01&tz=Europe/Berlin&server=${mine.id}`);
		expect(answer).toMatchObject({ from: '2024-03-30', to: '2024-04-01', interval: 'day', tz: 'Europe/Berlin' });
		// [date, created, failed, retried, terminated]
		expect(counts(answer.buckets)).toEqual([
			['2024-03-30', 0, 1, 0, 0],
			['2024-03-31', 2, 0, 1, 0],
			['2024-04-01', 0, 0, 0, 1],
		]);
	});

	test('the same rows in UTC fall on other days', async () => {
		const answer = await buckets(`from=2024-03-30&to=2024-04-01&server=${mine.id}`);
		expect(answer.tz).toBe('UTC');
		expect(counts(answer.buckets)).toEqual([
			['2024-03-30', 1, 1, 1, 0],
			['2024-03-31', 1, 0, 0, 1],
			['2024-04-01', 1, 0, 1, 0],
		]);
	});

	test('weeks run Monday to Sunday and the answer says which days it counted', async () => {
		const answer = await buckets(`from=2024-03-30&to=2024-04-01&interval=week&tz=Europe/Berlin&server=${mine.id}`);
		expect(answer).toMatchObject({ from: '2024-03-25', to: '2024-04-07', interval: 'week' });
		expect(counts(answer.buckets)).toEqual([
			['2024-03-25', 2, 2, 1, 0],
			['2024-04-01', 1, 0, 1, 1],
		]);
	});

	test('empty days are there, with zeros; without a server filter, every server counts', async () => {
		const empty = await buckets(`from=2024-04-10&to=2024-04-12&server=${mine.id}`);
		expect(counts(empty.buckets)).toEqual([
			['2024-04-10', 0, 0, 0, 0],
			['2024-04-11', 0, 0, 0, 0],
			['2024-04-12', 0, 0, 0, 0],
		]);
		const all = await buckets('from=2024-03-31&to=2024-03-31');
		expect(counts(all.buckets)).toEqual([['2024-03-31', 2, 0, 0, 1]]);
	});

	test('by default the 30 days up to today', async () => {
		const answer = await buckets('');
		expect(answer.buckets).toHaveLength(30);
		expect(answer.to).toBe(new Date().toISOString().slice(0, 10));
		expect(answer.buckets.at(-1)!.date).toBe(answer.to);
	});
});

describe('GET /nextpanel/insights/usage', () => {
	test('the accounts nearest a limit first, live accounts only, limited', async () => {
		const response = await get(`usage?server=${mine.id}`);
		expect(response.status, response.text).toBe(200);
		const rows = usageInsightSchema.parse(response.body.data);
		expect(rows.map((r) => [r.status, r.share])).toEqual([
			['suspended', 1.5],
			['active', 0.95],
			['active', 0.9],
			['suspended', 0.5],
		]);
		expect(rows[1]).toMatchObject({ server: mine.id, disk_share: 0.1, bandwidth_share: 0.95, disk_used_mb: 100, bandwidth_limit_mb: 100 });
		expect(rows[0]).toMatchObject({ disk_share: null, bandwidth_share: 1.5 });
		expect(rows[0]!.server_name).toMatch(/^Insights /);
		const top = usageInsightSchema.parse((await get(`usage?server=${mine.id}&limit=2`)).body.data);
		expect(top.map((r) => r.share)).toEqual([1.5, 0.95]);
	});

	test('by one metric: its share sorts, and accounts without that limit are left out', async () => {
		const disk = usageInsightSchema.parse((await get(`usage?server=${mine.id}&metric=disk`)).body.data);
		expect(disk.map((r) => r.share)).toEqual([0.9, 0.5, 0.1]);
		const bandwidth = usageInsightSchema.parse((await get(`usage?server=${mine.id}&metric=bandwidth`)).body.data);
		expect(bandwidth.map((r) => r.share)).toEqual([1.5, 0.95, 0.1]);
	});
});

describe('GET /nextpanel/insights/calls', () => {
	test('calls and failures per server, and the newest errors first', async () => {
		const response = await get(`calls?from=2024-05-01&to=2024-05-02&server=${mine.id}`);
		expect(response.status, response.text).toBe(200);
		const answer = callsInsightSchema.parse(response.body.data);
		expect(answer.per_server).toEqual([{ server: mine.id, name: expect.stringMatching(/^Insights /), calls: 5, failed: 2 }]);
		expect(answer.last_errors.map((e) => [e.message, e.action, e.date_created])).toEqual([
			['second failure', 'suspend_account', '2024-05-02T11:00:00.000Z'],
			['first failure', 'get_stats', '2024-05-01T09:00:00.000Z'],
		]);
		expect(answer.last_errors[0]).toMatchObject({ server: mine.id, http_status: 500, error_code: 'server_error' });
	});

	test('every server without a filter; the range ends are whole days', async () => {
		const answer = callsInsightSchema.parse((await get('calls?from=2024-05-02&to=2024-05-02')).body.data);
		expect(answer.per_server).toEqual([
			{ server: mine.id, name: expect.any(String), calls: 2, failed: 1 },
			{ server: other.id, name: expect.any(String), calls: 1, failed: 1 },
		]);
		expect(answer.last_errors.map((e) => e.message)).toEqual(['other failure', 'second failure']);
		expect(answer).toMatchObject({ from: '2024-05-02', to: '2024-05-02', tz: 'UTC' });
	});
});

describe('who may see the figures', () => {
	const routes = ['accounts', 'provisioning', 'capacity', 'usage', 'calls'];

	test('a caller who is not signed in gets 401', async () => {
		for (const route of routes) expect((await get(route, 'public')).status).toBe(401);
	});

	test('the viewer reads accounts and servers but not the call log: 403 where the log counts, and no figure', async () => {
		for (const route of ['accounts', 'capacity', 'usage']) expect((await get(route, 'viewer')).status, route).toBe(200);
		for (const route of ['provisioning', 'calls']) {
			const response = await get(route, 'viewer');
			expect(response.status, route).toBe(403);
			expect(response.body.data).toBeUndefined();
			expect(errorOf(response).message).toMatch(/nextpanel_logs/);
		}
	});

	test('the operator policy sees every insight', async () => {
		for (const route of routes) expect((await get(route, 'operator')).status, route).toBe(200);
	});

	test('a caller without read access to hosting accounts gets 403 on every insight', async () => {
		const check = async (call: (route: string) => Promise<{ status: number; body: { data?: unknown } }>) => {
			for (const route of routes) {
				const response = await call(route);
				expect(response.status, route).toBe(403);
				expect(response.body.data).toBeUndefined();
			}
		};
		if (nobodyToken) return check(nobody);
		// No seat for another user: the viewer loses its hosting-accounts rule for the while.
		const [rule] = (await sdk().request(
			readPermissions({
				filter: { collection: { _eq: 'hosting_accounts' }, action: { _eq: 'read' }, policy: { name: { _eq: 'Read-only' } } },
			}),
		)) as { id: number; policy: string }[];
		expect(rule).toBeDefined();
		await sdk().request(deletePermission(rule!.id));
		try {
			await check((route) => get(route, 'viewer'));
		} finally {
			await sdk().request(
				createPermission({
					policy: rule!.policy,
					collection: 'hosting_accounts',
					action: 'read',
					fields: ['*'],
					permissions: {},
					validation: {},
				} as never),
			);
		}
	});
});

describe('the indexes', () => {
	test('the installer added them once, on the plugin tables, and recorded the step', async () => {
		const names = sqlite
			? ((await db('sqlite_master').select('name').where('type', 'index')) as { name: string }[]).map((row) => row.name)
			: ((await db('pg_indexes').select('indexname')) as { indexname: string }[]).map((row) => row.indexname);
		for (const index of INSIGHT_INDEXES) expect(names, index.name).toContain(index.name);
		const step = await db('nextpanel_install_steps').where({ step: 'insight-indexes' }).first();
		expect(step?.detail).toBe(`${INSIGHT_INDEXES.length} index(es)`);
	});
});

describe('bad query strings are 400s that say why', () => {
	test.each([
		['provisioning?from=2024-02-30', /from: is not a day of the calendar/],
		['provisioning?from=2024/01/01', /from: must be a day as YYYY-MM-DD/],
		['provisioning?from=2024-03-02&to=2024-03-01', /after/],
		['provisioning?from=2023-01-01&to=2024-12-31', /at most 366 days, use interval=week/],
		['provisioning?from=2015-01-01&to=2024-12-31&interval=week', /at most 1830 days/],
		['provisioning?interval=month', /interval: must be day or week/],
		['provisioning?tz=Mars/Olympus', /tz: must be an IANA time zone/],
		['accounts?server=nope', /server: must be the id/],
		['usage?limit=0', /limit: must be at least 1/],
		['usage?limit=101', /limit: must be at most 100/],
		// `limit` is one of Directus's own query parameters: Directus checks it first, in its words.
		['usage?limit=ten', /"?limit"? must be a number/],
		['usage?metric=cpu', /metric: must be disk, bandwidth or any/],
		['calls?from=2024-05-03&to=2024-05-01', /after/],
	])('%s', async (path, reason) => {
		const response = await get(path);
		expect(response.status, response.text).toBe(400);
		expect(errorOf(response).message).toMatch(reason);
	});
});
