// The billing API port against the contract (shared/nextpanel-api.md), through real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { accountBody, BILLING, startTestSimulator, SUPER, type TestSimulator } from './testing.ts';

const START = Date.parse('2030-01-01T00:00:00Z');
let clockMs = START;
let t: TestSimulator;

beforeAll(async () => {
	t = await startTestSimulator({ clock: () => clockMs, version: '2.3.4' });
});
afterAll(() => t.sim.close());
beforeEach(() => {
	clockMs = START;
});

const ACCOUNTS = '/api/v1/billing/accounts';

describe('health', () => {
	test('answers without credentials, with the configured version', async () => {
		const response = await t.api('GET', '/api/health');
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/json');
		expect(response.json).toEqual({ status: 'healthy', database: 'connected', version: '2.3.4' });
	});
});

describe('authentication', () => {
	beforeAll(async () => {
		await t.control.addKey({ key: 'npk_ro', secret: 'nps_ro', level: 'READ_ONLY' });
		await t.control.addKey({ key: 'npk_off', secret: 'nps_off', level: 'SUPER_ADMIN', active: false });
		await t.control.addKey({ key: 'npk_expired', secret: 'nps_expired', level: 'SUPER_ADMIN', expires_at: '2029-12-31T23:59:59Z' });
		await t.control.addKey({ key: 'npk_later', secret: 'nps_later', level: 'SUPER_ADMIN', expires_at: '2030-01-01T00:00:01Z' });
		await t.control.addKey({ key: 'npk_far', secret: 'nps_far', level: 'SUPER_ADMIN', allowed_ips: ['10.1.2.3'] });
		await t.control.addKey({ key: 'npk_near', secret: 'nps_near', level: 'SUPER_ADMIN', allowed_ips: ['10.1.2.3', '127.0.0.1'] });
	});

	const list = (key: string | undefined, secret: string | undefined) =>
		t.api('GET', ACCOUNTS, {
			headers: { ...(key === undefined ? {} : { 'x-api-key': key }), ...(secret === undefined ? {} : { 'x-api-secret': secret }) },
		});

	test.each([
		['no headers', undefined, undefined],
		['no secret', 'npk_super', undefined],
		['a wrong secret', 'npk_super', 'nps_wrong'],
		['an unknown key', 'npk_nobody', 'nps_super'],
		["another key's secret", 'npk_super', 'nps_billing'],
		['an inactive key', 'npk_off', 'nps_off'],
		['an expired key', 'npk_expired', 'nps_expired'],
	])('%s -> 401', async (_label, key, secret) => {
		const response = await list(key, secret);
		expect(response.status).toBe(401);
		expect(response.json).toEqual({ detail: 'Invalid API credentials' });
	});

	test('a key expires when the clock passes expires_at', async () => {
		expect((await list('npk_later', 'nps_later')).status).toBe(200);
		clockMs = START + 1000;
		expect((await list('npk_later', 'nps_later')).status).toBe(401);
	});

	test('an IP outside the allow list -> 403 naming the IP', async () => {
		const response = await list('npk_far', 'nps_far');
		expect(response.status).toBe(403);
		expect(response.json).toEqual({ detail: 'IP address 127.0.0.1 is not allowed for this API key' });
		expect((await list('npk_near', 'nps_near')).status).toBe(200);
	});

	test('credentials are checked before the IP: a wrong secret on an IP-limited key is 401', async () => {
		expect((await list('npk_far', 'nps_wrong')).status).toBe(401);
	});

	test('reads work with any valid key; writes need SUPER_ADMIN', async () => {
		const created = await t.create('authread');
		for (const headers of [BILLING, { 'x-api-key': 'npk_ro', 'x-api-secret': 'nps_ro' }]) {
			expect((await t.api('GET', ACCOUNTS, { headers })).status).toBe(200);
			expect((await t.api('GET', `${ACCOUNTS}/${created.id}`, { headers })).status).toBe(200);
			expect((await t.api('GET', `${ACCOUNTS}/${created.id}/stats`, { headers })).status).toBe(200);
		}
		const denied = { detail: "The user doesn't have super admin privileges" };
		const writes = [
			t.api('POST', ACCOUNTS, { headers: BILLING, body: accountBody('billingtry') }),
			t.api('POST', `${ACCOUNTS}/${created.id}/suspend`, { headers: BILLING, body: { reason: 'x' } }),
			t.api('POST', `${ACCOUNTS}/${created.id}/unsuspend`, { headers: BILLING }),
			t.api('DELETE', `${ACCOUNTS}/${created.id}`, { headers: BILLING }),
		];
		for (const response of await Promise.all(writes)) {
			expect(response.status).toBe(403);
			expect(response.json).toEqual(denied);
		}
		expect((await t.control.account(created.id)).status).toBe('active');
		expect((await t.control.accounts()).some((a) => a.username === 'billingtry')).toBe(false);
	});

	test('the IP check comes before the level check', async () => {
		await t.control.addKey({ key: 'npk_far_billing', secret: 's', level: 'BILLING', allowed_ips: ['10.9.9.9'] });
		const response = await t.api('POST', ACCOUNTS, { headers: { 'x-api-key': 'npk_far_billing', 'x-api-secret': 's' }, body: {} });
		expect(response.json).toEqual({ detail: 'IP address 127.0.0.1 is not allowed for this API key' });
	});
});

describe('the side-effect-free permission probe: POST {} ', () => {
	test('is 403 below SUPER_ADMIN and 422 (missing fields) at it, creating nothing', async () => {
		const before = t.sim.accounts.all().length;
		const low = await t.api('POST', ACCOUNTS, { headers: BILLING, body: {} });
		expect(low.status).toBe(403);
		expect(low.json).toEqual({ detail: "The user doesn't have super admin privileges" });
		const high = await t.api('POST', ACCOUNTS, { headers: SUPER, body: {} });
		expect(high.status).toBe(422);
		expect(high.json).toEqual({
			detail: ['username', 'email', 'password'].map((field) => ({
				type: 'missing',
				loc: ['body', field],
				msg: 'Field required',
				input: {},
			})),
		});
		expect(t.sim.accounts.all().length).toBe(before);
	});

	test('a body that is not JSON fails with json_invalid before authentication', async () => {
		for (const headers of [{}, BILLING, SUPER]) {
			const response = await t.api('POST', ACCOUNTS, { headers: { ...headers, 'content-type': 'application/json' }, raw: '{"username": ' });
			expect(response.status).toBe(422);
			expect(response.json).toEqual({
				detail: [{ type: 'json_invalid', loc: ['body', 13], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } }],
			});
		}
	});

	test('a body without content type is read as JSON; one of another type is not', async () => {
		const untyped = await t.api('POST', ACCOUNTS, { headers: SUPER, raw: '{"username": "x"' });
		expect(untyped.json.detail[0]).toMatchObject({ type: 'json_invalid', ctx: { error: "Expecting ',' delimiter" } });
		const form = await t.api('POST', ACCOUNTS, {
			headers: { ...SUPER, 'content-type': 'application/x-www-form-urlencoded' },
			raw: 'username=x',
		});
		expect(form.status).toBe(422);
		expect(form.json.detail).toEqual([
			{
				type: 'model_attributes_type',
				loc: ['body'],
				msg: 'Input should be a valid dictionary or object to extract fields from',
				input: 'username=x',
			},
		]);
	});

	test('bytes that are not UTF-8 are a 400, as in FastAPI', async () => {
		const response = await t.api('POST', ACCOUNTS, {
			headers: { ...SUPER, 'content-type': 'application/json' },
			raw: Buffer.from([0x7b, 0xff, 0x7d]),
		});
		expect(response.status).toBe(400);
		expect(response.json).toEqual({ detail: 'There was an error parsing the body' });
	});

	test('no body at all is a missing body', async () => {
		const response = await t.api('POST', ACCOUNTS, { headers: SUPER });
		expect(response.json).toEqual({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] });
	});
});

describe('creating accounts', () => {
	test('201 with the account: integer ids counting up, no password anywhere', async () => {
		const first = await t.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody('alpha', { package_id: 2, is_admin: true }) });
		const second = await t.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody('bravo') });
		expect(first.status).toBe(201);
		expect(first.headers['content-type']).toBe('application/json');
		expect(first.json).toEqual({
			id: expect.any(Number),
			username: 'alpha',
			email: 'alpha@example.com',
			full_name: 'Jane Doe',
			phone: null,
			company: 'Acme',
			status: 'active',
			billing_id: 'cust-alpha',
			package_id: 2,
			is_admin: true,
			metadata: { created_from: 'billing_system', billing_customer_id: 'cust-alpha', account_type: 'panel' },
			created_at: '2030-01-01T00:00:00.000Z',
		});
		expect(Number.isInteger(first.json.id)).toBe(true);
		expect(second.json.id).toBe(first.json.id + 1);
		expect(first.text + second.text).not.toContain('Sup3r-Secret-Pass');
		expect(await t.control.verifyPassword(first.json.id, 'Sup3r-Secret-Pass')).toBe(true);
		expect(await t.control.verifyPassword(first.json.id, 'wrong')).toBe(false);
	});

	test('only username, email and password are required; the rest default', async () => {
		const response = await t.api('POST', ACCOUNTS, {
			headers: SUPER,
			body: { username: 'minimal', email: 'Min@Example.COM', password: '12345678' },
		});
		expect(response.status).toBe(201);
		expect(response.json).toMatchObject({
			email: 'Min@example.com',
			full_name: null,
			phone: null,
			company: null,
			package_id: null,
			is_admin: false,
			billing_id: null,
			metadata: {},
		});
	});

	test('pydantic lax conversions apply: "7" is a package id, "yes" a boolean', async () => {
		const response = await t.api('POST', ACCOUNTS, {
			headers: SUPER,
			body: { ...accountBody('laxinput'), package_id: ' 7 ', is_admin: 'yes' },
		});
		expect(response.json).toMatchObject({ package_id: 7, is_admin: true });
	});

	test('a taken username -> 400 and nothing new', async () => {
		await t.create('taken');
		const before = t.sim.accounts.all().length;
		const again = await t.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody('taken', { email: 'other@example.com' }) });
		expect(again.status).toBe(400);
		expect(again.json).toEqual({ detail: 'Username already exists' });
		expect(t.sim.accounts.all().length).toBe(before);
	});

	test.each([
		[
			'username too short',
			{ username: 'ab' },
			{
				type: 'string_pattern_mismatch',
				loc: ['body', 'username'],
				msg: "String should match pattern '^[a-z][a-z0-9_]{2,31}$'",
				input: 'ab',
				ctx: { pattern: '^[a-z][a-z0-9_]{2,31}$' },
			},
		],
		[
			'username with capitals',
			{ username: 'JohnDoe' },
			{
				type: 'string_pattern_mismatch',
				loc: ['body', 'username'],
				msg: "String should match pattern '^[a-z][a-z0-9_]{2,31}$'",
				input: 'JohnDoe',
				ctx: { pattern: '^[a-z][a-z0-9_]{2,31}$' },
			},
		],
		[
			'username too long',
			{ username: 'a'.repeat(33) },
			{ type: 'string_pattern_mismatch', loc: ['body', 'username'], input: 'a'.repeat(33) },
		],
		[
			'reserved username',
			{ username: 'admin' },
			{ type: 'value_error', loc: ['body', 'username'], msg: 'Value error, Username is reserved', input: 'admin', ctx: { error: {} } },
		],
		[
			'username not a string',
			{ username: 42 },
			{ type: 'string_type', loc: ['body', 'username'], msg: 'Input should be a valid string', input: 42 },
		],
		[
			'email without @',
			{ email: 'x' },
			{
				type: 'value_error',
				loc: ['body', 'email'],
				msg: 'value is not a valid email address: An email address must have an @-sign.',
				input: 'x',
				ctx: { reason: 'An email address must have an @-sign.' },
			},
		],
		[
			'email on a special-use domain',
			{ email: 'a@b.test' },
			{
				type: 'value_error',
				loc: ['body', 'email'],
				msg: 'value is not a valid email address: The part after the @-sign is a special-use or reserved name that cannot be used with email.',
			},
		],
		[
			'short password',
			{ password: 'abc' },
			{
				type: 'string_too_short',
				loc: ['body', 'password'],
				msg: 'String should have at least 8 characters',
				input: 'abc',
				ctx: { min_length: 8 },
			},
		],
		[
			'long password',
			{ password: 'p'.repeat(129) },
			{ type: 'string_too_long', loc: ['body', 'password'], msg: 'String should have at most 128 characters', ctx: { max_length: 128 } },
		],
		[
			'fractional package id',
			{ package_id: 1.5 },
			{
				type: 'int_from_float',
				loc: ['body', 'package_id'],
				msg: 'Input should be a valid integer, got a number with a fractional part',
				input: 1.5,
			},
		],
		[
			'package id as a word',
			{ package_id: 'gold' },
			{
				type: 'int_parsing',
				loc: ['body', 'package_id'],
				msg: 'Input should be a valid integer, unable to parse string as an integer',
				input: 'gold',
			},
		],
		[
			'is_admin as a word',
			{ is_admin: 'maybe' },
			{
				type: 'bool_parsing',
				loc: ['body', 'is_admin'],
				msg: 'Input should be a valid boolean, unable to interpret input',
				input: 'maybe',
			},
		],
		[
			'is_admin null',
			{ is_admin: null },
			{ type: 'bool_type', loc: ['body', 'is_admin'], msg: 'Input should be a valid boolean', input: null },
		],
		[
			'metadata a list',
			{ metadata: [1] },
			{ type: 'dict_type', loc: ['body', 'metadata'], msg: 'Input should be a valid dictionary', input: [1] },
		],
		[
			'billing id a number',
			{ billing_id: 7 },
			{ type: 'string_type', loc: ['body', 'billing_id'], msg: 'Input should be a valid string', input: 7 },
		],
	])('422 for %s', async (_label, override, issue) => {
		const response = await t.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody('validname', override) });
		expect(response.status).toBe(422);
		expect(response.json.detail).toHaveLength(1);
		expect(response.json.detail[0]).toMatchObject(issue);
		expect(t.sim.accounts.usernameTaken('validname')).toBe(false);
	});

	test('every invalid field is reported, in field order', async () => {
		const response = await t.api('POST', ACCOUNTS, { headers: SUPER, body: { username: 'Root', password: 'short', is_admin: 2 } });
		expect(response.json.detail.map((issue: { loc: string[]; type: string }) => [issue.loc[1], issue.type])).toEqual([
			['username', 'string_pattern_mismatch'],
			['email', 'missing'],
			['password', 'string_too_short'],
			['is_admin', 'bool_parsing'],
		]);
	});

	test('a body that is not an object is a model_attributes_type error', async () => {
		const response = await t.api('POST', ACCOUNTS, { headers: SUPER, body: ['alpha'] });
		expect(response.json).toEqual({
			detail: [
				{
					type: 'model_attributes_type',
					loc: ['body'],
					msg: 'Input should be a valid dictionary or object to extract fields from',
					input: ['alpha'],
				},
			],
		});
	});
});

describe('reading, suspending, unsuspending, deleting', () => {
	test('the lifecycle of one account, with each state rule', async () => {
		const { id } = await t.create('charlie');
		const path = `${ACCOUNTS}/${id}`;
		expect((await t.api('GET', path, { headers: SUPER })).json).toMatchObject({ id, username: 'charlie', status: 'active' });

		const suspended = await t.api('POST', `${path}/suspend`, { headers: SUPER, body: { reason: 'Unpaid invoice' } });
		expect(suspended.status).toBe(200);
		expect(suspended.json).toMatchObject({ id, status: 'suspended' });
		expect((await t.control.account(id)).suspend_reason).toBe('Unpaid invoice');
		expect(await t.api('POST', `${path}/suspend`, { headers: SUPER, body: { reason: 'again' } })).toMatchObject({
			status: 400,
			json: { detail: 'Account is already suspended' },
		});
		expect((await t.api('GET', ACCOUNTS, { headers: SUPER })).json.find((a: { id: number }) => a.id === id).status).toBe('suspended');

		const unsuspended = await t.api('POST', `${path}/unsuspend`, { headers: SUPER });
		expect(unsuspended).toMatchObject({ status: 200, json: { id, status: 'active' } });
		expect(await t.api('POST', `${path}/unsuspend`, { headers: SUPER })).toMatchObject({
			status: 400,
			json: { detail: 'Account is not suspended' },
		});

		clockMs = START + 5000;
		expect(await t.api('DELETE', path, { headers: SUPER })).toMatchObject({
			status: 200,
			json: { message: 'Account deleted successfully' },
		});
		for (const [method, suffix] of [
			['GET', ''],
			['DELETE', ''],
			['POST', '/suspend'],
			['POST', '/unsuspend'],
			['GET', '/stats'],
		] as const) {
			expect(await t.api(method, `${path}${suffix}`, { headers: SUPER })).toMatchObject({
				status: 404,
				json: { detail: 'Account not found' },
			});
		}
		expect((await t.api('GET', ACCOUNTS, { headers: SUPER })).json.some((a: { id: number }) => a.id === id)).toBe(false);
		expect(await t.control.account(id)).toMatchObject({ deleted: true, deleted_at: '2030-01-01T00:00:05.000Z' });
	});

	test('suspend takes no body, an empty one, or a null reason', async () => {
		for (const body of [undefined, {}, { reason: null }, { reason: '' }]) {
			const { id } = await t.create(`susp${Math.random().toString(36).slice(2, 8)}`);
			const response = await t.api('POST', `${ACCOUNTS}/${id}/suspend`, { headers: SUPER, ...(body === undefined ? {} : { body }) });
			expect(response.status).toBe(200);
		}
		const { id } = await t.create('suspbad');
		expect((await t.api('POST', `${ACCOUNTS}/${id}/suspend`, { headers: SUPER, body: { reason: 5 } })).json.detail[0]).toMatchObject({
			type: 'string_type',
			loc: ['body', 'reason'],
		});
	});

	test('a deleted username is free again, with a new id', async () => {
		const first = await t.create('reused');
		await t.api('DELETE', `${ACCOUNTS}/${first.id}`, { headers: SUPER });
		const second = await t.create('reused');
		expect(second.id).toBeGreaterThan(first.id);
		expect((await t.control.accounts()).filter((a) => a.username === 'reused').map((a) => a.deleted)).toEqual([true, false]);
	});

	test('unknown ids are 404; ids that are not integers are 422', async () => {
		expect(await t.api('GET', `${ACCOUNTS}/999999`, { headers: SUPER })).toMatchObject({
			status: 404,
			json: { detail: 'Account not found' },
		});
		const response = await t.api('GET', `${ACCOUNTS}/abc`, { headers: SUPER });
		expect(response.status).toBe(422);
		expect(response.json).toEqual({
			detail: [
				{
					type: 'int_parsing',
					loc: ['path', 'account_id'],
					msg: 'Input should be a valid integer, unable to parse string as an integer',
					input: 'abc',
				},
			],
		});
	});

	test('authentication comes before path validation', async () => {
		expect((await t.api('GET', `${ACCOUNTS}/abc`)).status).toBe(401);
	});

	test('the list can be filtered by username and billing_id', async () => {
		const created = await t.create('filtered');
		const byName = await t.api('GET', `${ACCOUNTS}?username=filtered`, { headers: SUPER });
		expect(byName.json.map((a: { id: number }) => a.id)).toEqual([created.id]);
		const byBilling = await t.api('GET', `${ACCOUNTS}?billing_id=cust-filtered`, { headers: SUPER });
		expect(byBilling.json.map((a: { id: number }) => a.id)).toEqual([created.id]);
	});
});

describe('usage statistics', () => {
	test('grow with the account age, deterministically, and stop at the package limits', async () => {
		const { id } = await t.create('usage', { package_id: 1 });
		const stats = async () => (await t.api('GET', `${ACCOUNTS}/${id}/stats`, { headers: SUPER })).json;
		const fresh = await stats();
		expect(fresh).toEqual({
			disk_used_mb: expect.any(Number),
			disk_limit_mb: 1024,
			bandwidth_used_mb: expect.any(Number),
			bandwidth_limit_mb: 10240,
			inodes_used: expect.any(Number),
			updated_at: '2030-01-01T00:00:00.000Z',
		});
		expect(await stats()).toEqual(fresh);

		clockMs = START + 60 * 60_000;
		const hourLater = await stats();
		expect(hourLater.disk_used_mb).toBe(fresh.disk_used_mb + 30);
		expect(hourLater.bandwidth_used_mb).toBe(fresh.bandwidth_used_mb + 120);
		expect(hourLater.inodes_used).toBe(fresh.inodes_used + 300);

		clockMs = START + 365 * 24 * 60 * 60_000;
		expect(await stats()).toMatchObject({ disk_used_mb: 1024, disk_limit_mb: 1024, bandwidth_used_mb: 10240, bandwidth_limit_mb: 10240 });
	});

	test('default limits without a package; figures pinned through the control API', async () => {
		const { id } = await t.create('pinned');
		expect((await t.api('GET', `${ACCOUNTS}/${id}/stats`, { headers: SUPER })).json).toMatchObject({
			disk_limit_mb: 10240,
			bandwidth_limit_mb: 102400,
		});
		await t.control.setUsage(id, { disk_used_mb: 1234, disk_limit_mb: 2048 });
		clockMs = START + 60 * 60_000;
		const pinned = (await t.api('GET', `${ACCOUNTS}/${id}/stats`, { headers: SUPER })).json;
		expect(pinned).toMatchObject({ disk_used_mb: 1234, disk_limit_mb: 2048, bandwidth_limit_mb: 102400 });
		await t.control.clearUsage(id);
		expect((await t.api('GET', `${ACCOUNTS}/${id}/stats`, { headers: SUPER })).json.disk_limit_mb).toBe(10240);
	});
});

describe('routing like FastAPI', () => {
	test('unknown paths are 404 Not Found, before authentication', async () => {
		for (const path of ['/api/v2/billing/accounts', '/', '/api/v1/billing/accounts/1/password', '/control/health']) {
			const response = await t.api('GET', path);
			expect(response.status).toBe(404);
			expect(response.json).toEqual({ detail: 'Not Found' });
		}
	});

	test('a known path with another method is 405 Method Not Allowed', async () => {
		// Like Starlette, Allow names the methods of the first route whose path matches.
		for (const [method, path, allow] of [
			['PUT', ACCOUNTS, 'GET, HEAD'],
			['PATCH', `${ACCOUNTS}/1`, 'GET, HEAD'],
			['GET', `${ACCOUNTS}/1/suspend`, 'POST'],
			['POST', '/api/health', 'GET, HEAD'],
			['DELETE', `${ACCOUNTS}/1/stats`, 'GET, HEAD'],
		] as const) {
			const response = await t.api(method, path, { headers: SUPER });
			expect(response.status).toBe(405);
			expect(response.json).toEqual({ detail: 'Method Not Allowed' });
			expect(response.headers['allow'], `${method} ${path}`).toBe(allow);
		}
	});

	test('a trailing slash is redirected, as Starlette does', async () => {
		const response = await t.api('GET', `${ACCOUNTS}/?username=x`, { headers: SUPER });
		expect(response.status).toBe(307);
		expect(response.headers['location']).toBe(`${t.sim.apiUrl}${ACCOUNTS}?username=x`);
	});

	test('HEAD works wherever GET does, without a body', async () => {
		const response = await t.api('HEAD', '/api/health');
		expect(response.status).toBe(200);
		expect(response.text).toBe('');
	});

	test('bodies over 1 MB are refused with 413 by the proxy, and nothing is created', async () => {
		const response = await t.api('POST', ACCOUNTS, {
			headers: SUPER,
			body: accountBody('huge', { metadata: { blob: 'x'.repeat(1_100_000) } }),
		});
		expect(response.status).toBe(413);
		expect(response.headers['content-type']).toBe('text/html');
		expect(response.text).toContain('413 Request Entity Too Large');
		expect(t.sim.accounts.usernameTaken('huge')).toBe(false);
	});

	test('NaN in a body (Python accepts it) ends in a 500, as it would on a real server', async () => {
		const response = await t.api('POST', ACCOUNTS, {
			headers: { ...SUPER, 'content-type': 'application/json' },
			raw: '{"username": "nanuser", "email": "n@example.com", "password": "12345678", "package_id": NaN}',
		});
		expect(response.status).toBe(500);
		expect(response.text).toBe('Internal Server Error');
	});
});

describe('the change-password route (never seen on a real server)', () => {
	test('is absent by default and answers when turned on', async () => {
		const { id } = await t.create('pwchange');
		const path = `${ACCOUNTS}/${id}/password`;
		expect((await t.api('POST', path, { headers: SUPER, body: { password: 'N3w-Password!' } })).status).toBe(404);
		await t.control.setFeatures({ change_password: true });
		try {
			expect((await t.api('POST', path, { headers: BILLING, body: { password: 'N3w-Password!' } })).status).toBe(403);
			expect((await t.api('POST', path, { headers: SUPER, body: { password: 'short' } })).json.detail[0]).toMatchObject({
				type: 'string_too_short',
				loc: ['body', 'password'],
			});
			expect(await t.api('POST', path, { headers: SUPER, body: { password: 'N3w-Password!' } })).toMatchObject({
				status: 200,
				json: { message: 'Password changed successfully' },
			});
			expect(await t.control.verifyPassword(id, 'N3w-Password!')).toBe(true);
		} finally {
			await t.control.setFeatures({ change_password: false });
		}
	});
});

describe('many accounts', () => {
	// Timing is not asserted; what makes these fast with 10,000 accounts is that they never walk them all.
	test('reading one, creating, finding by username, renaming and deleting never scan the accounts', async () => {
		await t.control.seedBulk({ count: 2_000, prefix: 'many' });
		const live = vi.spyOn(t.sim.accounts, 'live');
		const all = vi.spyOn(t.sim.accounts, 'all');
		try {
			const { id } = await t.create('scanfree');
			expect((await t.api('GET', `${ACCOUNTS}/${id}`, { headers: SUPER })).json.username).toBe('scanfree');
			expect((await t.api('GET', `${ACCOUNTS}?username=many01999`, { headers: SUPER })).json).toMatchObject([{ username: 'many01999' }]);
			expect((await t.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody('many00001') })).status).toBe(400);
			await t.control.updateAccount(id, { username: 'scanfree2' });
			expect((await t.api('DELETE', `${ACCOUNTS}/${id}`, { headers: SUPER })).status).toBe(200);
			expect(live).not.toHaveBeenCalled();
			expect(all).not.toHaveBeenCalled();
			// The full list is the one route that must look at every account.
			expect((await t.api('GET', ACCOUNTS, { headers: SUPER })).json.length).toBeGreaterThanOrEqual(2_000);
			expect(live).toHaveBeenCalledTimes(1);
		} finally {
			live.mockRestore();
			all.mockRestore();
		}
	});
});
