import { readItem, readItems } from '@directus/sdk';
import { afterAll, describe, expect, test } from 'vitest';
import { expectRecentTimestamp } from '../harness/expectations.ts';
import { ACCOUNT_PUBLIC_FIELDS } from '../../src/shared/account-fields.ts';
import {
	api,
	createCustomer,
	errorOf,
	mailsTo,
	rawDatabase,
	readAccount,
	registerServer,
	sdk,
	simulator,
	unique,
	waitFor,
	withOnlyServers,
} from '../harness/client.ts';

const db = rawDatabase();
afterAll(() => db.destroy());

const callsFor = async (server: { apiKey: string; simulator: 'a' | 'b' | 'c' }) =>
	(await simulator(server.simulator).calls()).calls.filter((call) => call.key === server.apiKey);

describe('POST /nextpanel/accounts', () => {
	test('provisions an account with a generated password returned once, and mails it with the control panel address', async () => {
		const server = await registerServer({ panelUrl: 'https://cp.example.com/login' });
		const customer = await createCustomer({ company: 'Acme' });
		const response = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		expect(response.status).toBe(201);
		const account = response.body.data;
		expect(account).toMatchObject({ customer: customer.id, server: server.id, status: 'active', attempts: 1 });
		expect(account.nextpanel_account_id).toEqual(expect.any(Number));
		expect(account.username).toMatch(/^testcustomer[0-9a-f]+/);
		const password: string = response.body.generated_password;
		expect(password).toHaveLength(20);

		const remote = (await simulator('a').accounts()).find((a) => a.id === account.nextpanel_account_id);
		expect(remote).toMatchObject({ username: account.username, billing_id: customer.id, email: customer.email, company: 'Acme' });

		const mail = await waitFor(async () => mailsTo(customer.email).find((m) => m.text.includes(account.username)), {
			what: 'the welcome mail',
		});
		expect(mail.text).toContain(password);
		// The customer signs in at the control panel, not at the API address the plugin calls.
		expect(mail.html).toContain('href="https://cp.example.com/login"');
		expect(mail.text).not.toContain(server.baseUrl);
		const stored = await waitFor(async () => {
			const current = await readAccount(account.id);
			return current['welcome_mail'] === 'sent' ? current : undefined;
		});
		// Mailed, so nothing is held: the sealed password is gone and reads never show internals.
		expect(stored).toMatchObject({ revealable: false });
		expect(stored).not.toHaveProperty('password_ciphertext');
		expect(
			(await db.select('password_ciphertext').from('hosting_accounts').where({ id: account.id }).first()).password_ciphertext,
		).toBeNull();

		// The password is shown once: a later read never contains it.
		expect(JSON.stringify(await readAccount(account.id))).not.toContain(password);
	});

	test('uses the username, password and package the caller chose', async () => {
		const server = await registerServer();
		const customer = await createCustomer();
		const username = unique('chosen_');
		const response = await api('POST', '/nextpanel/accounts', {
			body: { customer: customer.id, server: server.id, username, password: 'Correct-Horse-Battery-9', package: 3 },
		});
		expect(response.status).toBe(201);
		expect(response.body.data).toMatchObject({ username, package: 3, status: 'active' });
		expect(response.body.generated_password).toBeUndefined();
	});

	test.each([
		['an administrator', 'admin', {}],
		['the operator policy', 'operator', { password: 'Operator-Chosen-Password-7' }],
	] as const)('the 201 answer is what %s reads back later', async (_label, as, overrides) => {
		// The answer is built from the row the provisioning wrote, not read back: it must be the read.
		const server = await registerServer();
		const customer = await createCustomer({}, as);
		const created = await api('POST', '/nextpanel/accounts', { as, body: { customer: customer.id, server: server.id, ...overrides } });
		expect(created.status).toBe(201);
		const fields = Object.keys(created.body.data);
		expect(fields).toEqual([...ACCOUNT_PUBLIC_FIELDS]);
		const read = await api('GET', `/items/hosting_accounts/${created.body.data.id}?fields=${fields.join(',')}`, { as });
		expect(read.status).toBe(200);
		expect(created.body.data).toStrictEqual(read.body.data);
		expect(JSON.stringify(created.body.data)).toBe(JSON.stringify(read.body.data));
	});

	test('picks the active server with the most free slots when none is named', async () => {
		const small = await registerServer({ simulator: 'b', capacity: 1 });
		const roomy = await registerServer({ simulator: 'b', capacity: 1000 });
		const customer = await createCustomer();
		const response = await withOnlyServers([small.id, roomy.id], () =>
			api('POST', '/nextpanel/accounts', { body: { customer: customer.id } }),
		);
		expect(response.status).toBe(201);
		expect(response.body.data.server).toBe(roomy.id);
	});

	test.each([
		['an unknown customer', { customer: '00000000-0000-4000-8000-000000000000' }, 404, /no customer/],
		['a customer id that is not a UUID', { customer: 'abc' }, 400, /customer: must be the id of a customer \(a UUID\)/],
		['an unknown server', { server: '00000000-0000-4000-8000-000000000000' }, 400, /server: there is no NextPanel server/],
		['a username NextPanel rejects', { username: '9lives' }, 400, /username: "9lives" must start with a lowercase letter/],
		['a reserved username', { username: 'admin' }, 400, /reserved/],
		['a weak password', { password: 'password1' }, 400, /password: the password is too weak/],
		['a package that is not a number', { package: 'gold' }, 400, /package/],
		['an unknown field', { colour: 'blue' }, 400, /unknown field: colour/],
	])('%s is refused before NextPanel is called', async (_label, overrides, status, message) => {
		const server = await registerServer();
		const customer = await createCustomer();
		const response = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id, ...overrides } });
		expect(response.status).toBe(status);
		expect(errorOf(response).message).toMatch(message);
		expect(await callsFor(server)).toHaveLength(0);
	});

	test('a disabled or full server is refused with the reason', async () => {
		const disabled = await registerServer({ status: 'disabled' });
		const customer = await createCustomer();
		const response = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: disabled.id } });
		expect(response.status).toBe(400);
		expect(errorOf(response).message).toMatch(/is disabled/);

		const full = await registerServer({ capacity: 1 });
		expect((await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: full.id } })).status).toBe(
			201,
		);
		// A full server is a state conflict, the same answer whether found before or during the claim.
		const second = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: full.id } });
		expect(second.status).toBe(409);
		expect(errorOf(second).message).toMatch(/is full \(1 of 1 accounts\)/);
	});

	test('a username already used by another hosting account is a conflict', async () => {
		const server = await registerServer();
		const username = unique('dup_');
		const first = await api('POST', '/nextpanel/accounts', {
			body: { customer: (await createCustomer()).id, server: server.id, username },
		});
		expect(first.status).toBe(201);
		const second = await api('POST', '/nextpanel/accounts', {
			body: { customer: (await createCustomer()).id, server: server.id, username },
		});
		expect(second.status).toBe(409);
		expect(errorOf(second).message).toMatch(/already used by another hosting account/);
	});

	test('a key without SUPER_ADMIN fails the account with the permission advice (502)', async () => {
		const server = await registerServer({ level: 'BILLING' });
		const customer = await createCustomer();
		const response = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		expect(response.status).toBe(502);
		expect(errorOf(response)).toMatchObject({ code: 'NEXTPANEL_ERROR' });
		expect(errorOf(response).message).toMatch(/SUPER_ADMIN/);
		const accountId = response.body.errors[0].extensions.hosting_account;
		const account = await readAccount(accountId);
		expect(account).toMatchObject({ status: 'failed' });
		expect(account['last_error']).toMatch(/SUPER_ADMIN/);
		// 4xx are not retried: exactly one create reached NextPanel.
		expect((await callsFor(server)).filter((c) => c.method === 'POST')).toHaveLength(1);
	});
});

describe('lifecycle routes', () => {
	async function activeAccount() {
		const server = await registerServer();
		const customer = await createCustomer();
		const response = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		expect(response.status).toBe(201);
		return { server, customer, account: response.body.data as Record<string, any> };
	}

	test('suspend, unsuspend and terminate follow NextPanel and the state machine', async () => {
		const { server, account } = await activeAccount();
		const remote = async () => (await simulator(server.simulator).accounts()).find((a) => a.id === account['nextpanel_account_id']);

		const beforeSuspend = Date.now();
		const suspended = await api('POST', `/nextpanel/accounts/${account['id']}/suspend`, { body: { reason: 'Unpaid invoice' } });
		expect(suspended.status).toBe(200);
		expect(suspended.body.data).toMatchObject({ status: 'suspended', suspend_reason: 'Unpaid invoice' });
		expectRecentTimestamp(suspended.body.data.suspended_at, beforeSuspend);
		expect((await remote())?.status).toBe('suspended');

		const again = await api('POST', `/nextpanel/accounts/${account['id']}/suspend`, { body: {} });
		expect(again.status).toBe(409);
		expect(errorOf(again).message).toMatch(/cannot be suspended: it is suspended/);

		const unsuspended = await api('POST', `/nextpanel/accounts/${account['id']}/unsuspend`);
		expect(unsuspended.status).toBe(200);
		expect(unsuspended.body.data).toMatchObject({ status: 'active', suspend_reason: null });
		expect((await remote())?.status).toBe('active');

		const terminated = await api('POST', `/nextpanel/accounts/${account['id']}/terminate`);
		expect(terminated.status).toBe(200);
		expect(terminated.body.data.status).toBe('terminated');
		expect(await remote()).toMatchObject({ deleted: true });

		const suspendTerminated = await api('POST', `/nextpanel/accounts/${account['id']}/suspend`);
		expect(suspendTerminated.status).toBe(409);
		expect(errorOf(suspendTerminated).message).toMatch(/terminated/);
	});

	test('sync stores the usage NextPanel reports', async () => {
		const { server, account } = await activeAccount();
		await simulator(server.simulator).setUsage(account['nextpanel_account_id'], {
			disk_used_mb: 1234,
			disk_limit_mb: 10240,
			bandwidth_used_mb: 567,
			bandwidth_limit_mb: 102400,
		});
		const beforeSync = Date.now();
		const response = await api('POST', `/nextpanel/accounts/${account['id']}/sync`);
		expect(response.status).toBe(200);
		expect(response.body.data).toMatchObject({
			disk_used_mb: 1234,
			disk_limit_mb: 10240,
			bandwidth_used_mb: 567,
			bandwidth_limit_mb: 102400,
		});
		expectRecentTimestamp(response.body.data.usage_synced_at, beforeSync);
	});

	test('a suspend whose answer was lost is completed on retry without a second suspend taking effect twice', async () => {
		const { server, account } = await activeAccount();
		await simulator(server.simulator).addFault({
			kind: 'reset_after_commit',
			match: { method: 'POST', path: '/api/v1/billing/accounts/*/suspend' },
			times: 1,
		});
		const response = await api('POST', `/nextpanel/accounts/${account['id']}/suspend`, { body: { reason: 'test' } });
		expect(response.status).toBe(200);
		expect(response.body.data.status).toBe('suspended');
		await simulator(server.simulator).clearFaults();
	});

	test('unknown and malformed ids', async () => {
		expect((await api('POST', '/nextpanel/accounts/00000000-0000-4000-8000-000000000000/suspend')).status).toBe(404);
		expect((await api('POST', '/nextpanel/accounts/not-a-uuid/suspend')).status).toBe(400);
	});

	test('retry provisions a failed account once the cause is fixed', async () => {
		const server = await registerServer({ level: 'BILLING' });
		const customer = await createCustomer();
		const failed = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		const id = failed.body.errors[0].extensions.hosting_account;
		const retryWhileBroken = await api('POST', `/nextpanel/accounts/${id}/retry`);
		expect(retryWhileBroken.status).toBe(502);
		await simulator(server.simulator).addKey({ key: server.apiKey, secret: server.apiSecret, level: 'SUPER_ADMIN' });
		const retried = await api('POST', `/nextpanel/accounts/${id}/retry`);
		expect(retried.status).toBe(200);
		expect(retried.body.data.status).toBe('active');
		expect((await api('POST', `/nextpanel/accounts/${id}/retry`)).status).toBe(409);
	});
});

describe('GET /nextpanel/servers/capacity', () => {
	test('reports capacity, accounts and free slots per server', async () => {
		const server = await registerServer({ capacity: 5 });
		await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: server.id } });
		const response = await api('GET', '/nextpanel/servers/capacity');
		expect(response.status).toBe(200);
		expect(response.body.data.find((s: { id: string }) => s.id === server.id)).toMatchObject({
			capacity: 5,
			active_accounts: 1,
			free_slots: 4,
			full: false,
			status: 'active',
		});
	});
});

describe('nextpanel_logs', () => {
	test('every NextPanel call is logged with the password redacted', async () => {
		const server = await registerServer();
		const customer = await createCustomer();
		const response = await api('POST', '/nextpanel/accounts', {
			body: { customer: customer.id, server: server.id, password: 'Logged-Never-Pass-42' },
		});
		expect(response.status).toBe(201);
		const logs = await sdk().request(
			readItems('nextpanel_logs', { filter: { hosting_account: { _eq: response.body.data.id } }, fields: ['*'] }),
		);
		expect(logs.map((l) => l['action'])).toContain('create_account');
		const create = logs.find((l) => l['action'] === 'create_account')!;
		expect(create).toMatchObject({ http_status: 201, outcome: 'ok', server: server.id });
		expect(create['request'].body.password).toBe('[redacted]');
		expect(JSON.stringify(logs)).not.toContain('Logged-Never-Pass-42');
		expect(JSON.stringify(logs)).not.toContain(server.apiSecret);
		void readItem;
	});
});
