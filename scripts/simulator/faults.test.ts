// Fault injection, down/up, the call log and the control API, through real HTTP.
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { FaultInput } from './faults.ts';
import { accountBody, failureOf, send, startTestSimulator, SUPER, type TestSimulator } from './testing.ts';

const ACCOUNTS = '/api/v1/billing/accounts';
const CREATE = { method: 'POST', path: ACCOUNTS };
let t: TestSimulator;

beforeAll(async () => {
	t = await startTestSimulator();
});
afterAll(() => t.sim.close());
afterEach(async () => {
	await t.control.clearFaults();
});

const createRequest = (username: string) => t.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody(username) });
const stored = (username: string) => t.sim.accounts.usernameTaken(username);

describe('status faults', () => {
	test('500 is Starlette plain text, and the request is not handled', async () => {
		await t.control.addFault({ kind: 'status', status: 500, match: CREATE });
		const response = await createRequest('status500');
		expect(response.status).toBe(500);
		expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(response.text).toBe('Internal Server Error');
		expect(stored('status500')).toBe(false);
	});

	test.each([
		[502, '502 Bad Gateway'],
		[504, '504 Gateway Time-out'],
	])('%i is the nginx error page', async (status, title) => {
		await t.control.addFault({ kind: 'status', status, match: CREATE });
		const response = await createRequest(`status${status}`);
		expect(response.status).toBe(status);
		expect(response.headers['content-type']).toBe('text/html');
		expect(response.headers['server']).toBe('nginx');
		expect(response.text).toBe(
			`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
		);
		expect(stored(`status${status}`)).toBe(false);
	});

	test('503 is a JSON detail', async () => {
		await t.control.addFault({ kind: 'status', status: 503 });
		const response = await t.api('GET', '/api/health');
		expect(response).toMatchObject({ status: 503, json: { detail: 'Service temporarily unavailable' } });
		expect(response.headers['content-type']).toBe('application/json');
	});

	test('other statuses get FastAPI-style details; a given body replaces the default', async () => {
		await t.control.addFault({ kind: 'status', status: 429, times: 1 });
		expect(await t.api('GET', '/api/health')).toMatchObject({ status: 429, json: { detail: 'Too Many Requests' } });
		await t.control.addFault({ kind: 'status', status: 400, body: { detail: 'Custom failure' }, times: 1 });
		expect(await t.api('GET', '/api/health')).toMatchObject({ status: 400, json: { detail: 'Custom failure' } });
		await t.control.addFault({ kind: 'status', status: 500, body: 'upstream exploded', times: 1 });
		expect(await t.api('GET', '/api/health')).toMatchObject({ status: 500, text: 'upstream exploded' });
	});
});

describe('rate limiting (429, not in the contract)', () => {
	const STATS = { method: 'GET', path: `${ACCOUNTS}/*/stats` };

	test('429 with Retry-After in seconds by default; nothing handled', async () => {
		await t.control.addFault({ kind: 'rate_limit', retry_after: 30, times: 1, match: CREATE });
		const response = await createRequest('limited');
		expect(response).toMatchObject({ status: 429, json: { detail: 'Too Many Requests' } });
		expect(response.headers['retry-after']).toBe('30');
		expect(stored('limited')).toBe(false);
		expect((await createRequest('limited')).status).toBe(201);
	});

	test('Retry-After as an HTTP date, or none at all', async () => {
		await t.control.addFault({ kind: 'rate_limit', retry_after: 120, retry_after_format: 'date', times: 1 });
		const dated = await t.api('GET', '/api/health');
		const until = Date.parse(String(dated.headers['retry-after']));
		expect(until - Date.now()).toBeGreaterThan(118_000);
		expect(until - Date.now()).toBeLessThanOrEqual(121_000);
		await t.control.addFault({ kind: 'rate_limit', retry_after: null, times: 1 });
		const bare = await t.api('GET', '/api/health');
		expect(bare.status).toBe(429);
		expect(bare.headers['retry-after']).toBeUndefined();
	});

	test('per_second refuses only what goes beyond the rate within a second', async () => {
		await t.control.addFault({ kind: 'rate_limit', per_second: 3, retry_after: 1, match: STATS });
		const statuses: number[] = [];
		for (let i = 0; i < 5; i++) statuses.push((await t.api('GET', `${ACCOUNTS}/999999/stats`, { headers: SUPER })).status);
		expect(statuses).toEqual([404, 404, 404, 429, 429]);
		expect((await t.api('GET', '/api/health')).status).toBe(200);
		const [rule] = await t.control.faults();
		expect(rule).toMatchObject({ kind: 'rate_limit', seen: 5, applied: 2 });
	});
});

describe('garbled answers', () => {
	test('html: a 200 login page instead of the API, nothing handled', async () => {
		await t.control.addFault({ kind: 'html', match: CREATE });
		const response = await createRequest('htmlpage');
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(response.text).toMatch(/^<!DOCTYPE html>/);
		expect(response.text).toContain('<form');
		expect(stored('htmlpage')).toBe(false);
	});

	test('malformed_json: 200, labelled JSON, cut short; the request itself was handled', async () => {
		await t.control.addFault({ kind: 'malformed_json', match: CREATE });
		const response = await createRequest('garbled');
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/json');
		expect(response.text.length).toBeGreaterThan(0);
		expect(() => JSON.parse(response.text)).toThrow();
		expect(response.text).toMatch(/^\{"id":\d+,"username":"garbled"/);
		expect(stored('garbled')).toBe(true);
	});

	test('empty: 502 with no body by default, or the given status', async () => {
		await t.control.addFault({ kind: 'empty', times: 1 });
		const response = await t.api('GET', '/api/health');
		expect(response).toMatchObject({ status: 502, text: '' });
		expect(response.headers['content-length']).toBe('0');
		expect(response.headers['content-type']).toBeUndefined();
		await t.control.addFault({ kind: 'empty', status: 200, times: 1 });
		expect(await t.api('GET', '/api/health')).toMatchObject({ status: 200, text: '' });
	});
});

describe('oversized answers', () => {
	test('valid JSON of exactly the size asked for, with its content-length; nothing handled', async () => {
		await t.control.addFault({ kind: 'oversized', bytes: 5_000_000, match: CREATE });
		const response = await createRequest('bigreply');
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/json');
		expect(response.headers['content-length']).toBe('5000000');
		expect(Buffer.byteLength(response.text)).toBe(5_000_000);
		expect(Array.isArray(response.json)).toBe(true);
		expect(response.json.length).toBeGreaterThan(70_000);
		expect(stored('bigreply')).toBe(false);
		const [call] = (await t.control.calls({ method: 'POST' })).calls.slice(-1);
		expect(call).toMatchObject({ fault: 'oversized', status: 200 });
	});

	test('with another status, and as small as one byte', async () => {
		await t.control.addFault({ kind: 'oversized', bytes: 300, status: 503, times: 1 });
		const response = await t.api('GET', '/api/health');
		expect(response.status).toBe(503);
		expect(Buffer.byteLength(response.text)).toBe(300);
		expect(response.json).toBeInstanceOf(Array);
		await t.control.addFault({ kind: 'oversized', bytes: 1, times: 1 });
		expect(await t.api('GET', '/api/health')).toMatchObject({ status: 200, text: '0', json: 0 });
	});

	test('a client that hangs up mid-answer does not disturb the simulator', async () => {
		await t.control.addFault({ kind: 'oversized', bytes: 268_435_456, times: 1 });
		const received = await new Promise<number>((resolve, reject) => {
			const req = request(`${t.sim.apiUrl}/api/health`, { agent: false }, (res) => {
				res.once('data', (chunk: Buffer) => {
					req.destroy();
					resolve(chunk.length);
				});
			});
			req.on('error', (error: NodeJS.ErrnoException) => {
				if (!req.destroyed) reject(error);
			});
			req.end();
		});
		expect(received).toBeGreaterThan(0);
		expect(await t.api('GET', '/api/health')).toMatchObject({ status: 200, json: { status: 'healthy' } });
	});

	test.each([
		['no size', {}],
		['a zero size', { bytes: 0 }],
		['a size over 256 MB', { bytes: 268_435_457 }],
		['a fractional size', { bytes: 10.5 }],
	])('refuses a rule with %s', async (_name, extra) => {
		await expect(t.control.addFault({ kind: 'oversized', ...extra } as FaultInput)).rejects.toThrow(/400.*bytes/s);
		expect(await t.control.faults()).toEqual([]);
	});
});

describe('connections that break', () => {
	test('reset_after_commit: the account is created, the client sees only a reset (the lost 201)', async () => {
		await t.control.addFault({ kind: 'reset_after_commit', match: CREATE, times: 1 });
		const error = await failureOf(createRequest('lost201'));
		expect(error.code).toBe('ECONNRESET');
		const remote = (await t.control.accounts()).filter((a) => a.username === 'lost201');
		expect(remote).toHaveLength(1);
		expect(remote[0]).toMatchObject({ deleted: false, status: 'active', billing_id: 'cust-lost201' });
		// The retry a client would make: not idempotent, so the name is taken.
		expect(await createRequest('lost201')).toMatchObject({ status: 400, json: { detail: 'Username already exists' } });
	});

	test('reset: the connection drops before anything is handled', async () => {
		await t.control.addFault({ kind: 'reset', match: CREATE, times: 1 });
		expect((await failureOf(createRequest('neverseen'))).code).toBe('ECONNRESET');
		expect(stored('neverseen')).toBe(false);
		expect((await createRequest('neverseen')).status).toBe(201);
	});

	test('blackhole: accepted, never answered, never closed', async () => {
		await t.control.addFault({ kind: 'blackhole', match: CREATE, times: 1 });
		const started = Date.now();
		const error = await failureOf(t.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody('blackholed'), timeoutMs: 400 }));
		expect(error.code).toBe('ETIMEDOUT_TEST');
		expect(Date.now() - started).toBeGreaterThanOrEqual(380);
		expect(stored('blackholed')).toBe(false);
		const [call] = (await t.control.calls({ method: 'POST' })).calls.slice(-1);
		expect(call).toMatchObject({ fault: 'blackhole', status: null });
	});

	test('blackhole through fetch with an AbortController', async () => {
		await t.control.addFault({ kind: 'blackhole', times: 1 });
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), 300);
		await expect(fetch(`${t.sim.apiUrl}/api/health`, { signal: controller.signal })).rejects.toThrow(/abort/i);
		clearTimeout(timer);
	});
});

describe('latency', () => {
	test('delays, then answers normally', async () => {
		await t.control.addFault({ kind: 'latency', ms: 250, match: CREATE, times: 1 });
		const started = Date.now();
		const response = await createRequest('slowpoke');
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
		expect(response.status).toBe(201);
	});

	test('a random delay within min_ms..max_ms', async () => {
		await t.control.addFault({ kind: 'latency', min_ms: 100, max_ms: 150, times: 1 });
		const started = Date.now();
		expect((await t.api('GET', '/api/health')).status).toBe(200);
		const elapsed = Date.now() - started;
		expect(elapsed).toBeGreaterThanOrEqual(95);
		expect(elapsed).toBeLessThan(1000);
	});

	test('combines with another fault: slow, then failing', async () => {
		await t.control.addFault({ kind: 'latency', ms: 150, times: 1 });
		await t.control.addFault({ kind: 'status', status: 503, times: 1 });
		const started = Date.now();
		expect((await t.api('GET', '/api/health')).status).toBe(503);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});
});

describe('rule selection', () => {
	test('skip lets N matching calls pass, times applies to N and expires', async () => {
		await t.control.addFault({ kind: 'status', status: 503, skip: 1, times: 2, match: { method: 'GET', path: '/api/health' } });
		const statuses: number[] = [];
		for (let i = 0; i < 5; i++) statuses.push((await t.api('GET', '/api/health')).status);
		expect(statuses).toEqual([200, 503, 503, 200, 200]);
		expect((await t.control.faults())[0]).toMatchObject({ seen: 5, applied: 2 });
	});

	test('only matching requests count: method, exact path, * wildcards', async () => {
		await t.control.addFault({ kind: 'status', status: 418, match: { method: 'get', path: `${ACCOUNTS}/*/stats` } });
		const { id } = await t.create('matcher');
		expect((await t.api('GET', `${ACCOUNTS}/${id}/stats`, { headers: SUPER })).status).toBe(418);
		expect((await t.api('GET', `${ACCOUNTS}/${id}`, { headers: SUPER })).status).toBe(200);
		expect((await t.api('POST', `${ACCOUNTS}/${id}/suspend`, { headers: SUPER, body: {} })).status).toBe(200);
		await t.control.clearFaults();
		await t.control.addFault({ kind: 'status', status: 418, match: { path: ACCOUNTS } });
		expect((await t.api('GET', `${ACCOUNTS}?username=x`, { headers: SUPER })).status).toBe(418);
		expect((await t.api('GET', `${ACCOUNTS}/${id}`, { headers: SUPER })).status).toBe(200);
	});

	test('when two rules match, the first applies and the second waits its turn', async () => {
		const first = await t.control.addFault({ kind: 'status', status: 500, times: 1 });
		await t.control.addFault({ kind: 'status', status: 502, times: 1 });
		expect((await t.api('GET', '/api/health')).status).toBe(500);
		expect((await t.api('GET', '/api/health')).status).toBe(502);
		expect((await t.api('GET', '/api/health')).status).toBe(200);
		expect(first.id).toBeGreaterThan(0);
	});

	test('a rule can be removed by id', async () => {
		const rule = await t.control.addFault({ kind: 'status', status: 500 });
		await t.control.removeFault(rule.id);
		expect((await t.api('GET', '/api/health')).status).toBe(200);
		await expect(t.control.removeFault(rule.id)).rejects.toThrow(/404/);
	});

	test('invalid rules are refused with a readable message', async () => {
		await expect(t.control.addFault({ kind: 'nonsense' } as never)).rejects.toThrow(/400.*Invalid fault rule/s);
		await expect(t.control.addFault({ kind: 'latency' })).rejects.toThrow(/ms/);
		await expect(t.control.addFault({ kind: 'status', status: 99 })).rejects.toThrow(/400/);
		expect(() => t.sim.faults.add({ kind: 'status', times: -1 })).toThrow(/Invalid fault rule/);
	});
});

describe('down and up', () => {
	test('down refuses connections; up listens again on the same port', async () => {
		const port = t.sim.apiPort;
		await t.control.down();
		expect(await t.control.health()).toMatchObject({ up: false });
		expect((await failureOf(t.api('GET', '/api/health'))).code).toBe('ECONNREFUSED');
		await t.control.up();
		expect(t.sim.apiPort).toBe(port);
		expect(t.sim.apiUrl).toBe(`http://127.0.0.1:${port}`);
		expect((await t.api('GET', '/api/health')).status).toBe(200);
		expect(await t.control.health()).toMatchObject({ up: true });
	});

	test('going down drops requests in flight without handling them', async () => {
		await t.control.addFault({ kind: 'latency', ms: 300, match: CREATE, times: 1 });
		const pending = failureOf(createRequest('inflight'));
		await new Promise((resolve) => setTimeout(resolve, 100));
		await t.control.down();
		await t.control.up();
		expect((await pending).code).toMatch(/ECONNRESET|EPIPE/);
		// It was held by the latency rule when the simulator went down (not refused before it)...
		expect(await t.control.faults()).toEqual([expect.objectContaining({ kind: 'latency', applied: 1 })]);
		// ...and is still not stored once its 300 ms hold would have run out.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(stored('inflight')).toBe(false);
	});

	test('down and up twice in a row are harmless', async () => {
		await Promise.all([t.control.down(), t.control.down()]);
		await Promise.all([t.control.up(), t.control.up()]);
		expect((await t.api('GET', '/api/health')).status).toBe(200);
	});
});

describe('the call log', () => {
	test('records each request: key id, status, fault, IP; never a secret', async () => {
		await t.control.resetCalls();
		await t.api('GET', '/api/health');
		await t.api('GET', `${ACCOUNTS}?username=nobody`, { headers: SUPER });
		await t.api('GET', ACCOUNTS, { headers: { 'x-api-key': 'npk_super', 'x-api-secret': 'wrong-secret' } });
		// A secret pasted into the key header is not logged either.
		await t.api('GET', ACCOUNTS, { headers: { 'x-api-key': 'nps_super', 'x-api-secret': 'nps_super' } });
		await t.control.addFault({ kind: 'reset', times: 1 });
		await failureOf(t.api('DELETE', `${ACCOUNTS}/1`, { headers: SUPER }));

		const { count, calls } = await t.control.calls();
		expect(count).toBe(5);
		expect(calls.map((c) => [c.method, c.path, c.status, c.key, c.fault])).toEqual([
			['GET', '/api/health', 200, null, null],
			['GET', ACCOUNTS, 200, 'npk_super', null],
			['GET', ACCOUNTS, 401, 'npk_super', null],
			['GET', ACCOUNTS, 401, '[redacted]', null],
			['DELETE', `${ACCOUNTS}/1`, null, 'npk_super', 'reset'],
		]);
		expect(calls.every((c) => c.ip === '127.0.0.1' && !Number.isNaN(Date.parse(c.at)))).toBe(true);
		expect(calls.map((c) => c.seq)).toEqual([...calls.map((c) => c.seq)].sort((a, b) => a - b));
		const logged = JSON.stringify(calls);
		expect(logged).not.toContain('nps_super');
		expect(logged).not.toContain('wrong-secret');
	});

	test('filters by method and path (with wildcards); clearing keeps the sequence going', async () => {
		const { calls: before } = await t.control.calls();
		const lastSeq = before.at(-1)?.seq ?? 0;
		await t.control.resetCalls();
		const { id } = await t.create('logged');
		await t.api('GET', `${ACCOUNTS}/${id}`, { headers: SUPER });
		await t.api('GET', '/api/health');
		expect((await t.control.calls({ method: 'post' })).calls.map((c) => c.path)).toEqual([ACCOUNTS]);
		expect((await t.control.calls({ path: `${ACCOUNTS}*` })).count).toBe(2);
		expect((await t.control.calls({ method: 'GET', path: '/api/health' })).count).toBe(1);
		expect((await t.control.calls()).calls[0]!.seq).toBeGreaterThan(lastSeq);
	});
});

describe('the control API', () => {
	test('keys: add, list without secrets, remove', async () => {
		const added = await t.control.addKey({ key: 'npk_temp', secret: 'nps_temp_secret', level: 'ADMIN', allowed_ips: ['127.0.0.1'] });
		expect(added).toEqual({ key: 'npk_temp', level: 'ADMIN', allowed_ips: ['127.0.0.1'], active: true, expires_at: null });
		const keys = await t.control.keys();
		expect(keys.map((k) => k.key)).toContain('npk_temp');
		expect(JSON.stringify(keys)).not.toContain('nps_');
		expect((await t.api('GET', ACCOUNTS, { headers: { 'x-api-key': 'npk_temp', 'x-api-secret': 'nps_temp_secret' } })).status).toBe(200);
		await t.control.removeKey('npk_temp');
		expect((await t.api('GET', ACCOUNTS, { headers: { 'x-api-key': 'npk_temp', 'x-api-secret': 'nps_temp_secret' } })).status).toBe(401);
		await expect(t.control.removeKey('npk_temp')).rejects.toThrow(/404/);
		await expect(t.control.addKey({ key: 'npk_bad', secret: 's', level: 'GOD' })).rejects.toThrow(/400.*level/s);
		await expect(t.control.addKey({ key: 'npk_bad', secret: 's', expires_at: 'tomorrow' })).rejects.toThrow(/400.*expires_at/s);
	});

	test('seeding an account occupies its username without a logged call', async () => {
		await t.control.resetCalls();
		const seeded = await t.control.seedAccount({
			username: 'squatter',
			email: 'sq@example.com',
			password: 'whatever1',
			billing_id: 'other',
		});
		expect(seeded).toMatchObject({ id: expect.any(Number), username: 'squatter', deleted: false });
		expect((await createRequest('squatter')).json).toEqual({ detail: 'Username already exists' });
		expect((await t.control.calls()).count).toBe(1);
		await expect(t.control.seedAccount({ username: 'squatter', email: 'sq@example.com', password: 'whatever1' })).rejects.toThrow(/409/);
		await expect(t.control.seedAccount({ username: 'X', email: 'sq@example.com', password: 'whatever1' })).rejects.toThrow(
			/400.*username/s,
		);
	});

	test('usage of an unknown account, unknown routes and bad JSON are errors', async () => {
		await expect(t.control.setUsage(999_999, { disk_used_mb: 1 })).rejects.toThrow(/404/);
		await expect(t.control.setUsage((await t.create('usagebad')).id, { disk_used_mb: -1 })).rejects.toThrow(/400/);
		expect(await send(t.sim.controlUrl, 'GET', '/control/nothing')).toMatchObject({
			status: 404,
			json: { error: 'No control route GET /control/nothing' },
		});
		expect(
			await send(t.sim.controlUrl, 'POST', '/control/faults', { raw: '{oops', headers: { 'content-type': 'application/json' } }),
		).toMatchObject({ status: 400, json: { error: 'The body is not valid JSON' } });
	});

	test('the API port shows no trace of the control API, and the other way round', async () => {
		expect((await t.api('GET', '/control/calls')).status).toBe(404);
		expect((await send(t.sim.controlUrl, 'GET', '/api/health')).status).toBe(404);
	});

	test('reset: accounts, calls and faults gone, seed keys back, ids keep counting', async () => {
		const fresh = await startTestSimulator();
		try {
			const before = await fresh.create('beforereset');
			await fresh.control.addKey({ key: 'npk_extra', secret: 'nps_extra' });
			await fresh.control.removeKey('npk_billing');
			await fresh.control.addFault({ kind: 'status', status: 500, match: { path: '/nowhere' } });
			await fresh.control.down();
			await fresh.control.reset();
			expect(await fresh.control.accounts()).toEqual([]);
			expect(await fresh.control.faults()).toEqual([]);
			expect((await fresh.control.keys()).map((k) => k.key).sort()).toEqual(['npk_billing', 'npk_super']);
			expect((await fresh.control.health()).up).toBe(true);
			expect((await fresh.control.calls()).count).toBe(0);
			const after = await fresh.create('beforereset');
			expect(after.id).toBeGreaterThan(before.id);
		} finally {
			await fresh.sim.close();
		}
	});

	test('close ends black-holed requests and frees both ports', async () => {
		const doomed = await startTestSimulator();
		await doomed.control.addFault({ kind: 'blackhole' });
		const pending = failureOf(doomed.api('GET', '/api/health'));
		await new Promise((resolve) => setTimeout(resolve, 50));
		await doomed.sim.close();
		expect((await pending).code).toMatch(/ECONNRESET|socket hang up/i);
		expect((await failureOf(send(doomed.sim.apiUrl, 'GET', '/api/health'))).code).toBe('ECONNREFUSED');
		expect((await failureOf(send(doomed.sim.controlUrl, 'GET', '/control/health'))).code).toBe('ECONNREFUSED');
	});
});
