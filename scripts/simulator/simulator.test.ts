// The simulator against the contract (shared/nextpanel-api.md), through real HTTP.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SimulatorControl } from './control-client.ts';
import { createSimulator, type Simulator } from './server.ts';

let sim: Simulator;
let control: SimulatorControl;
const SUPER = { 'X-API-Key': 'npk_s', 'X-API-Secret': 'nps_s' };

beforeAll(async () => {
	sim = await createSimulator({ keys: [{ key: 'npk_s', secret: 'nps_s', level: 'SUPER_ADMIN', allowed_ips: [], active: true, expires_at: null }] });
	control = new SimulatorControl(sim.controlUrl);
});
afterAll(() => sim.close());

async function call(method: string, path: string, options: { headers?: Record<string, string>; body?: unknown; raw?: string } = {}) {
	const response = await fetch(`${sim.apiUrl}${path}`, {
		method,
		headers: { ...options.headers, ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}) },
		body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
	});
	const text = await response.text();
	return { status: response.status, type: response.headers.get('content-type') ?? '', text, json: (() => { try { return JSON.parse(text); } catch { return undefined; } })() };
}

const account = (username: string, extra: Record<string, unknown> = {}) => ({ username, email: `${username}@example.com`, password: 'password123', billing_id: 'b1', ...extra });

describe('billing API', () => {
	test('health needs no key', async () => {
		expect((await call('GET', '/api/health')).json).toEqual({ status: 'healthy', database: 'connected', version: '1.0.0' });
	});

	test('authentication: credentials, then IP, then level', async () => {
		await control.addKey({ key: 'npk_b', secret: 'nps_b', level: 'BILLING' });
		await control.addKey({ key: 'npk_ip', secret: 'nps_ip', level: 'SUPER_ADMIN', allowed_ips: ['10.1.2.3'] });
		await control.addKey({ key: 'npk_off', secret: 'nps_off', level: 'SUPER_ADMIN', active: false });
		await control.addKey({ key: 'npk_exp', secret: 'nps_exp', level: 'SUPER_ADMIN', expires_at: '2001-01-01T00:00:00Z' });
		const list = (key: string, secret: string) => call('GET', '/api/v1/billing/accounts', { headers: { 'X-API-Key': key, 'X-API-Secret': secret } });
		expect(await list('npk_s', 'wrong')).toMatchObject({ status: 401, json: { detail: 'Invalid API credentials' } });
		expect((await list('npk_off', 'nps_off')).status).toBe(401);
		expect((await list('npk_exp', 'nps_exp')).status).toBe(401);
		expect(await list('npk_ip', 'nps_ip')).toMatchObject({ status: 403, json: { detail: 'IP address 127.0.0.1 is not allowed for this API key' } });
		expect((await list('npk_b', 'nps_b')).status).toBe(200);
		const create = await call('POST', '/api/v1/billing/accounts', { headers: { 'X-API-Key': 'npk_b', 'X-API-Secret': 'nps_b' }, body: account('billing1') });
		expect(create).toMatchObject({ status: 403, json: { detail: "The user doesn't have super admin privileges" } });
	});

	test('an empty create body is 403 below SUPER_ADMIN and 422 at it: a side-effect-free probe', async () => {
		const before = sim.accounts.all().length;
		expect((await call('POST', '/api/v1/billing/accounts', { headers: { 'X-API-Key': 'npk_b', 'X-API-Secret': 'nps_b' }, body: {} })).status).toBe(403);
		const probe = await call('POST', '/api/v1/billing/accounts', { headers: SUPER, body: {} });
		expect(probe.status).toBe(422);
		expect(probe.json.detail.map((d: { loc: string[] }) => d.loc[1])).toEqual(['username', 'email', 'password']);
		expect(sim.accounts.all().length).toBe(before);
	});

	test('invalid JSON is a 422 json_invalid before authentication', async () => {
		const response = await call('POST', '/api/v1/billing/accounts', { raw: '{"username": ' });
		expect(response.status).toBe(422);
		expect(response.json.detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body', expect.any(Number)], msg: 'JSON decode error' });
	});

	test('creates accounts with increasing integer ids and unique usernames', async () => {
		const first = await call('POST', '/api/v1/billing/accounts', { headers: SUPER, body: account('alpha') });
		const second = await call('POST', '/api/v1/billing/accounts', { headers: SUPER, body: account('bravo') });
		expect(first.status).toBe(201);
		expect(first.json).toMatchObject({ username: 'alpha', status: 'active', billing_id: 'b1', is_admin: false });
		expect(second.json.id).toBe(first.json.id + 1);
		expect(first.text).not.toContain('password123');
		expect(await call('POST', '/api/v1/billing/accounts', { headers: SUPER, body: account('alpha') })).toMatchObject({ status: 400, json: { detail: 'Username already exists' } });
	});

	test.each([
		[{ username: 'ab' }, 'string_too_short'],
		[{ username: 'Bad-Name' }, 'string_pattern_mismatch'],
		[{ username: 'root' }, 'value_error'],
		[{ email: 'nope' }, 'value_error'],
		[{ password: 'short' }, 'string_too_short'],
		[{ package_id: 'gold' }, 'int_type'],
		[{ is_admin: 'yes' }, 'bool_type'],
	])('422 for %j (%s)', async (override, type) => {
		const response = await call('POST', '/api/v1/billing/accounts', { headers: SUPER, body: account('validname', override) });
		expect(response.status).toBe(422);
		expect(response.json.detail[0]).toMatchObject({ type, loc: ['body', Object.keys(override)[0]] });
		expect(response.json.detail[0].msg.length).toBeGreaterThan(5);
	});

	test('suspend, unsuspend and delete follow the account state; deleted names are free again', async () => {
		const { json: created } = await call('POST', '/api/v1/billing/accounts', { headers: SUPER, body: account('charlie') });
		const path = `/api/v1/billing/accounts/${created.id}`;
		expect((await call('POST', `${path}/suspend`, { headers: SUPER, body: { reason: 'x' } })).json.status).toBe('suspended');
		expect(await call('POST', `${path}/suspend`, { headers: SUPER, body: {} })).toMatchObject({ status: 400, json: { detail: 'Account is already suspended' } });
		expect((await call('POST', `${path}/unsuspend`, { headers: SUPER })).json.status).toBe('active');
		expect(await call('POST', `${path}/unsuspend`, { headers: SUPER })).toMatchObject({ status: 400, json: { detail: 'Account is not suspended' } });
		expect(await call('DELETE', path, { headers: SUPER })).toMatchObject({ status: 200, json: { message: 'Account deleted successfully' } });
		expect(await call('GET', path, { headers: SUPER })).toMatchObject({ status: 404, json: { detail: 'Account not found' } });
		expect((await call('POST', '/api/v1/billing/accounts', { headers: SUPER, body: account('charlie') })).status).toBe(201);
		expect((await control.accounts()).filter((a) => a.username === 'charlie').map((a) => a.deleted)).toEqual([true, false]);
	});

	test('path ids must be integers; unknown routes and methods answer like FastAPI', async () => {
		expect((await call('GET', '/api/v1/billing/accounts/abc', { headers: SUPER })).json.detail[0]).toMatchObject({ type: 'int_parsing', loc: ['path', 'account_id'] });
		expect(await call('GET', '/api/v2/nothing', { headers: SUPER })).toMatchObject({ status: 404, json: { detail: 'Not Found' } });
		expect(await call('PUT', '/api/v1/billing/accounts', { headers: SUPER })).toMatchObject({ status: 405, json: { detail: 'Method Not Allowed' } });
	});

	test('usage grows with time, is capped, and can be set', async () => {
		const { json: created } = await call('POST', '/api/v1/billing/accounts', { headers: SUPER, body: account('delta', { package_id: 1 }) });
		const stats = (await call('GET', `/api/v1/billing/accounts/${created.id}/stats`, { headers: SUPER })).json;
		expect(stats).toMatchObject({ disk_limit_mb: 1024, bandwidth_limit_mb: 10240 });
		const later = (await import('./usage.ts')).usageOf(sim.accounts.get(created.id)!, Date.now() + 1e9);
		expect(later.disk_used_mb).toBe(1024);
		await control.setUsage(created.id, { disk_used_mb: 77 });
		expect((await call('GET', `/api/v1/billing/accounts/${created.id}/stats`, { headers: SUPER })).json.disk_used_mb).toBe(77);
	});

	test('bodies over 1 MB are refused with 413', async () => {
		expect((await call('POST', '/api/v1/billing/accounts', { headers: SUPER, raw: JSON.stringify({ x: 'a'.repeat(1_100_000) }) })).status).toBe(413);
	});
});

describe('faults and control', () => {
	test('skip and times select which matching calls fail', async () => {
		await control.clearFaults();
		await control.addFault({ kind: 'status', status: 503, skip: 1, times: 2, match: { method: 'GET', path: '/api/health' } });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await call('GET', '/api/health')).status);
		expect(statuses).toEqual([200, 503, 503, 200]);
	});

	test('5xx pages look like the stack in front of NextPanel', async () => {
		await control.addFault({ kind: 'status', status: 502, times: 1, match: { path: '/api/health' } });
		const page = await call('GET', '/api/health');
		expect(page.type).toContain('text/html');
		expect(page.text).toContain('502 Bad Gateway');
		await control.addFault({ kind: 'status', status: 500, times: 1, match: { path: '/api/health' } });
		expect((await call('GET', '/api/health')).text).toBe('Internal Server Error');
	});

	test('reset_after_commit stores the account and never answers', async () => {
		await control.addFault({ kind: 'reset_after_commit', times: 1, match: { method: 'POST', path: '/api/v1/billing/accounts' } });
		await expect(call('POST', '/api/v1/billing/accounts', { headers: SUPER, body: account('lost201') })).rejects.toThrow();
		expect((await control.accounts()).some((a) => a.username === 'lost201')).toBe(true);
	});

	test('malformed JSON, HTML and empty bodies', async () => {
		await control.addFault({ kind: 'malformed_json', times: 1, match: { path: '/api/health' } });
		const truncated = await call('GET', '/api/health');
		expect(truncated.type).toContain('application/json');
		expect(truncated.json).toBeUndefined();
		await control.addFault({ kind: 'html', times: 1, match: { path: '/api/health' } });
		expect((await call('GET', '/api/health')).text).toContain('<html>');
		await control.addFault({ kind: 'empty', status: 502, times: 1, match: { path: '/api/health' } });
		expect(await call('GET', '/api/health')).toMatchObject({ status: 502, text: '' });
	});

	test('a black hole accepts and never answers', async () => {
		await control.addFault({ kind: 'blackhole', times: 1, match: { path: '/api/health' } });
		await expect(fetch(`${sim.apiUrl}/api/health`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
	});

	test('latency delays the answer', async () => {
		await control.addFault({ kind: 'latency', ms: 200, times: 1, match: { path: '/api/health' } });
		const started = Date.now();
		expect((await call('GET', '/api/health')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
	});

	test('down refuses connections; up listens again on the same port', async () => {
		await control.down();
		await expect(call('GET', '/api/health')).rejects.toThrow();
		await control.up();
		expect((await call('GET', '/api/health')).status).toBe(200);
	});

	test('the call log names the key, never the secret', async () => {
		const { calls } = await control.calls();
		expect(calls.length).toBeGreaterThan(10);
		expect(calls.some((c) => c.key === 'npk_s')).toBe(true);
		expect(JSON.stringify(calls)).not.toContain('nps_s');
		expect(calls.find((c) => c.fault === 'blackhole')?.status).toBeNull();
	});
});

test('state persists to a file across restarts, ids keep counting', async () => {
	const file = join(mkdtempSync(join(tmpdir(), 'sim-')), 'state.json');
	const keys = [{ key: 'k', secret: 's', level: 'SUPER_ADMIN' as const, allowed_ips: [], active: true, expires_at: null }];
	const first = await createSimulator({ keys, stateFile: file });
	const created = await (await fetch(`${first.apiUrl}/api/v1/billing/accounts`, { method: 'POST', headers: { 'X-API-Key': 'k', 'X-API-Secret': 's' }, body: JSON.stringify(account('persisted')) })).json();
	await first.close();
	expect(readFileSync(file, 'utf8')).not.toContain('password123');
	const second = await createSimulator({ keys, stateFile: file });
	expect(second.accounts.get(created.id)?.username).toBe('persisted');
	const next = await (await fetch(`${second.apiUrl}/api/v1/billing/accounts`, { method: 'POST', headers: { 'X-API-Key': 'k', 'X-API-Secret': 's' }, body: JSON.stringify(account('afterrestart')) })).json();
	expect(next.id).toBe(created.id + 1);
	await second.close();
});
