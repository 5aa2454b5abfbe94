// Who may do what, and where secrets must never appear.
import { readActivities, readItems, readRevisions } from '@directus/sdk';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { api, createCustomer, harness, registerServer, sdk, simulator, type Caller } from '../harness/client.ts';

const ROUTES: [string, string, unknown?][] = [
	['POST', '/nextpanel/servers/test', { base_url: 'http://127.0.0.1:1', api_key: 'k', api_secret: 's' }],
	['POST', '/nextpanel/servers/SERVER/test'],
	['GET', '/nextpanel/servers/capacity'],
	['POST', '/nextpanel/accounts', { customer: 'CUSTOMER' }],
	['POST', '/nextpanel/accounts/ACCOUNT/suspend', { reason: 'x' }],
	['POST', '/nextpanel/accounts/ACCOUNT/unsuspend'],
	['POST', '/nextpanel/accounts/ACCOUNT/terminate'],
	['POST', '/nextpanel/accounts/ACCOUNT/retry'],
	['POST', '/nextpanel/accounts/ACCOUNT/sync'],
	['POST', '/nextpanel/jobs/usage'],
];

describe('permissions', () => {
	async function fixtures() {
		const server = await registerServer();
		const customer = await createCustomer();
		const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		expect(created.status).toBe(201);
		const before = (await simulator('a').calls()).calls.filter((c) => c.key === server.apiKey).length;
		const fill = (text: string) =>
			text.replace('SERVER', server.id).replace('CUSTOMER', customer.id).replace('ACCOUNT', created.body.data.id);
		return { server, customer, account: created.body.data, before, fill };
	}

	test.each<[Caller, number]>([
		['public', 401],
		['viewer', 403],
	])('%s callers get %i on every route and NextPanel sees nothing', async (caller, status) => {
		const { server, before, fill, account } = await fixtures();
		for (const [method, path, body] of ROUTES) {
			if (caller === 'viewer' && (path.includes('/servers/SERVER/test') || path.includes('capacity'))) continue;
			const response = await api(method, fill(path), { as: caller, body: body ? JSON.parse(fill(JSON.stringify(body))) : undefined });
			expect(response.status, `${method} ${path}`).toBe(status);
			expect(response.body.errors[0].message.length).toBeGreaterThan(10);
		}
		const after = (await simulator('a').calls()).calls.filter((c) => c.key === server.apiKey).length;
		expect(after).toBe(before);
		const current = await api('GET', `/items/hosting_accounts/${account.id}`);
		expect(current.body.data.status).toBe('active');
	});

	test('an operator (non-admin policy) may provision and suspend', async () => {
		const server = await registerServer();
		const customer = await createCustomer({}, 'operator');
		const created = await api('POST', '/nextpanel/accounts', { as: 'operator', body: { customer: customer.id, server: server.id } });
		expect(created.status).toBe(201);
		const suspended = await api('POST', `/nextpanel/accounts/${created.body.data.id}/suspend`, {
			as: 'operator',
			body: { reason: 'operator test' },
		});
		expect(suspended.status).toBe(200);
		expect(suspended.body.data.status).toBe('suspended');
	});

	test('nobody can set a hosting account status through the item API', async () => {
		const { account } = await fixtures();
		const response = await api('PATCH', `/items/hosting_accounts/${account.id}`, { body: { status: 'suspended' } });
		expect(response.status).toBe(400);
		expect(response.body.errors[0].message).toMatch(/managed by NextPanel provisioning/);
		const remove = await api('DELETE', `/items/hosting_accounts/${account.id}`);
		expect(remove.status).toBe(409);
		expect(remove.body.errors[0].message).toMatch(/Terminate/);
	});

	test('a provisioned account keeps its customer, server, username and package: NextPanel could not follow', async () => {
		const { account } = await fixtures();
		const otherServer = await registerServer();
		const changes: Record<string, unknown>[] = [
			{ customer: (await createCustomer()).id },
			{ server: otherServer.id },
			{ username: 'renamedaccount' },
			{ package: 7 },
		];
		for (const change of changes) {
			const response = await api('PATCH', `/items/hosting_accounts/${account.id}`, { body: change });
			expect(response.status, JSON.stringify(change)).toBe(400);
			expect(response.body.errors[0].message).toMatch(
				new RegExp(`${Object.keys(change)[0]}: cannot change once an account may exist on NextPanel`),
			);
		}
		const after = await api('GET', `/items/hosting_accounts/${account.id}`);
		for (const field of ['customer', 'server', 'username', 'package']) expect(after.body.data[field]).toEqual(account[field]);
	});
});

describe('secrets never leak', () => {
	test('API secrets and hosting passwords appear in no item, revision, activity, call log or server log', async () => {
		const server = await registerServer();
		const customer = await createCustomer();
		const chosen = 'Leak-Check-Password-31';
		const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id, password: chosen } });
		expect(created.status).toBe(201);
		const generated = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: server.id } });
		expect(generated.status).toBe(201);
		const generatedPassword: string = generated.body.generated_password;
		expect(generatedPassword).toMatch(/^\S{12,}$/);
		await api('POST', '/nextpanel/servers/test', {
			body: { base_url: server.baseUrl, api_key: server.apiKey, api_secret: 'Typed-Secret-Not-Saved-99' },
		});

		const secrets = [server.apiSecret, chosen, generatedPassword, 'Typed-Secret-Not-Saved-99'];
		const admin = sdk();
		const dumps = [
			JSON.stringify(await admin.request(readItems('hosting_accounts', { fields: ['*'], limit: -1 }))),
			JSON.stringify(await admin.request(readItems('nextpanel_servers', { fields: ['*'], limit: -1 }))),
			JSON.stringify(await admin.request(readItems('customers', { fields: ['*'], limit: -1 }))),
			JSON.stringify(await admin.request(readItems('nextpanel_logs', { fields: ['*'], limit: -1 }))),
			JSON.stringify(await admin.request(readRevisions({ fields: ['data', 'delta'], limit: -1 }))),
			JSON.stringify(await admin.request(readActivities({ fields: ['*'], limit: -1 }))),
			readFileSync(harness().logFile, 'utf8'),
		];
		for (const secret of secrets) for (const dump of dumps) expect(dump).not.toContain(secret);
	});
});
