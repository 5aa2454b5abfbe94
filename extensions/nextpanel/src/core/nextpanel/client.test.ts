// The client against the contract-exact simulator over real HTTP: every failure class, the
// permission probe, and one redacted call record per call.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSimulator, type Simulator } from '../../../../../scripts/simulator/server.ts';
import { NextPanelClient, type CallRecord } from './client.ts';
import { NextPanelFailure } from './failure.ts';
import { DEFAULT_URL_DENY_LIST } from '../config.ts';
import { buildBlockList } from '../lib/url-guard.ts';

let sim: Simulator;
const timeouts = { connectMs: 1000, readMs: 1500, writeMs: 1500 };

beforeAll(async () => {
	sim = await createSimulator({
		keys: [
			{ key: 'npk_super', secret: 'nps_super', level: 'SUPER_ADMIN', allowed_ips: [], active: true, expires_at: null },
			{ key: 'npk_billing', secret: 'nps_billing', level: 'BILLING', allowed_ips: [], active: true, expires_at: null },
			{ key: 'npk_far', secret: 'nps_far', level: 'SUPER_ADMIN', allowed_ips: ['10.9.9.9'], active: true, expires_at: null },
			{ key: 'npk_old', secret: 'nps_old', level: 'SUPER_ADMIN', allowed_ips: [], active: true, expires_at: '2020-01-01T00:00:00Z' },
		],
	});
});
afterAll(() => sim.close());

const limits = { maxResponseBytes: 64 * 1024, maxListResponseBytes: 256 * 1024, denyList: buildBlockList(DEFAULT_URL_DENY_LIST) };

function client(key = 'npk_super', secret = key.replace('npk_', 'nps_'), baseUrl = sim.apiUrl, withLimits = limits) {
	const records: CallRecord[] = [];
	return {
		records,
		client: new NextPanelClient({
			endpoint: { baseUrl, apiKey: key, apiSecret: secret },
			timeouts,
			limits: withLimits,
			record: (r) => void records.push(r),
		}),
	};
}

async function failureOf(promise: Promise<unknown>): Promise<NextPanelFailure> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NextPanelFailure);
	return error as NextPanelFailure;
}

const body = (username: string) => ({
	username,
	email: `${username}@example.com`,
	password: 'Sup3r-Secret-Pass',
	full_name: 'J D',
	phone: null,
	company: null,
	package_id: null,
	is_admin: false,
	billing_id: 'cust-1',
	metadata: {
		created_from: 'billing_system' as const,
		billing_customer_id: 'cust-1',
		hosting_account_id: 'ha-1',
		account_type: 'panel' as const,
	},
});

describe('NextPanelClient', () => {
	test('creates, reads, suspends and deletes; each call leaves one redacted record', async () => {
		const { client: c, records } = client();
		const created = await c.createAccount(body('clientok'));
		expect(created).toMatchObject({ id: expect.any(Number), username: 'clientok', billing_id: 'cust-1' });
		expect((await c.getAccount(created.id)).status).toBe('active');
		await c.suspendAccount(created.id, 'test');
		expect((await c.listAccounts()).find((a) => a.id === created.id)?.status).toBe('suspended');
		expect((await c.getStats(created.id)).disk_limit_mb).toBe(10240);
		await c.deleteAccount(created.id);
		expect(records.map((r) => r.action)).toEqual([
			'create_account',
			'get_account',
			'suspend_account',
			'list_accounts',
			'get_stats',
			'delete_account',
		]);
		expect(records[0]).toMatchObject({
			httpStatus: 201,
			outcome: 'ok',
			request: { method: 'POST', path: '/api/v1/billing/accounts', body: { password: '[redacted]' } },
		});
		expect(JSON.stringify(records)).not.toContain('Sup3r-Secret-Pass');
		expect(JSON.stringify(records)).not.toContain('nps_super');
	});

	test('the permission probe passes for SUPER_ADMIN and fails for BILLING without creating anything', async () => {
		const before = sim.accounts.all().length;
		await client().client.probeWritePermission();
		const failure = await failureOf(client('npk_billing').client.probeWritePermission());
		expect(failure.code).toBe('insufficient_permission');
		expect(sim.accounts.all().length).toBe(before);
	});

	test.each([
		['a wrong secret', () => client('npk_super', 'nope').client.listAccounts(), 'auth_failed'],
		['an expired key', () => client('npk_old').client.listAccounts(), 'auth_failed'],
		['an IP outside the allow list', () => client('npk_far').client.listAccounts(), 'ip_not_allowed'],
		['a BILLING key creating', () => client('npk_billing').client.createAccount(body('billingtry')), 'insufficient_permission'],
		['an unknown account', () => client().client.getAccount(999_999), 'not_found'],
		['an invalid body', () => client().client.createAccount({ ...body('x'), email: 'nope' }), 'invalid'],
		[
			'a base URL with a path NextPanel does not have',
			() => client('npk_super', 'nps_super', `${sim.apiUrl}/panel`).client.listAccounts(),
			'not_supported',
		],
		['a closed port', () => client('npk_super', 'nps_super', 'http://127.0.0.1:9').client.listAccounts(), 'unreachable'],
	])('%s -> %s', async (_label, call, code) => {
		expect((await failureOf(call())).code).toBe(code);
	});

	test('a taken username is already_exists', async () => {
		await client().client.createAccount(body('takenname'));
		const failure = await failureOf(client().client.createAccount(body('takenname')));
		expect(failure.code).toBe('already_exists');
		expect(failure.message).toContain('"takenname"');
	});

	test.each([
		[{ kind: 'status', status: 500 }, 'server_error', true],
		[{ kind: 'status', status: 502 }, 'server_error', true],
		[{ kind: 'html' }, 'bad_response', false],
		[{ kind: 'malformed_json' }, 'bad_response', false],
		[{ kind: 'empty', status: 200 }, 'bad_response', false],
		[{ kind: 'reset' }, 'unreachable', true],
		[{ kind: 'blackhole' }, 'timeout', true],
	] as const)('fault %j -> %s', async (fault, code, transient) => {
		sim.faults.clear();
		sim.faults.add({ ...fault, match: { path: '/api/v1/billing/accounts' }, times: 1 });
		const { client: c, records } = client();
		const failure = await failureOf(c.listAccounts());
		expect(failure.code).toBe(code);
		expect(failure.transient).toBe(transient);
		expect(failure.message.length).toBeGreaterThan(30);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ outcome: 'error', errorCode: code });
		sim.faults.clear();
	});

	test('a redirect is reported, not followed', async () => {
		const server = createServer((_req, res) => {
			res.writeHead(301, { location: 'https://elsewhere.example.com/' });
			res.end();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const failure = await failureOf(client('npk_super', 'nps_super', url).client.health());
		expect(failure.code).toBe('bad_response');
		expect(failure.message).toContain('redirect to https://elsewhere.example.com/');
		server.close();
	});

	test('JSON of the wrong shape is a bad response', async () => {
		const server = createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"accounts": []}');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const failure = await failureOf(client('npk_super', 'nps_super', url).client.listAccounts());
		expect(failure.message).toMatch(/unexpected shape/);
		server.close();
	});
});

describe('limits', () => {
	/** A server that answers every request with `bytes` of valid JSON. */
	async function serverAnswering(bytes: number): Promise<{ url: string; close: () => Promise<void> }> {
		const server = createServer((_req, res) => {
			const items = Math.ceil(bytes / 12);
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(`[${Array.from({ length: items }, () => '"xxxxxxxxx"').join(',')}]`);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
	}

	test('an answer over the limit is reported as too large, not read', async () => {
		const big = await serverAnswering(200 * 1024);
		try {
			const failure = await failureOf(client('npk_super', 'nps_super', big.url).client.getAccount(1));
			expect(failure.code).toBe('response_too_large');
			expect(failure.transient).toBe(false);
			expect(failure.message).toMatch(/larger than 64 KB/);
		} finally {
			await big.close();
		}
	});

	test('the account list may be larger than other answers, up to its own limit', async () => {
		const list = await serverAnswering(200 * 1024);
		try {
			// 200 KB of strings is not an account list, but it was read: the failure is about its shape.
			expect((await failureOf(client('npk_super', 'nps_super', list.url).client.listAccounts())).code).toBe('bad_response');
			const tight = { ...limits, maxListResponseBytes: 100 * 1024 };
			expect((await failureOf(client('npk_super', 'nps_super', list.url, tight).client.listAccounts())).code).toBe('response_too_large');
		} finally {
			await list.close();
		}
	});

	test.each([
		['a host name that resolves to a denied address', 'http://localhost'],
		['a literal denied address', 'http://127.0.0.1'],
		['an IPv4-mapped IPv6 form of it', 'http://[::ffff:127.0.0.1]'],
	])('%s is refused at connection time, before anything is sent', async (_label, host) => {
		const denied = { ...limits, denyList: buildBlockList(['127.0.0.0/8', '::1/128']) };
		const { port } = new URL(sim.apiUrl);
		const before = sim.calls.list().length;
		const { client: c, records } = client('npk_super', 'nps_super', `${host}:${port}`, denied);
		const failure = await failureOf(c.listAccounts());
		expect(failure.code).toBe('address_not_allowed');
		expect(failure.mayHaveReachedServer).toBe(false);
		expect(failure.message).toMatch(/NEXTPANEL_URL_DENY_LIST/);
		expect(sim.calls.list().length).toBe(before);
		expect(records[0]).toMatchObject({ outcome: 'error', errorCode: 'address_not_allowed' });
	});
});
