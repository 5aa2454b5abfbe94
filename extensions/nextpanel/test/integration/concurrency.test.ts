// Many provisions at once: no server goes over capacity, and one hosting account never becomes
// two NextPanel accounts, however many requests race for it.
import { createItem } from '@directus/sdk';
import { describe, expect, test } from 'vitest';
import { api, createCustomer, registerServer, sdk, simulator, waitForStatus, withOnlyServers } from '../harness/client.ts';

describe('concurrency', () => {
	test('50 parallel provisions onto small servers never exceed capacity', async () => {
		const servers = await Promise.all([
			registerServer({ simulator: 'b', capacity: 10 }),
			registerServer({ simulator: 'b', capacity: 15 }),
			registerServer({ simulator: 'c', capacity: 20 }),
		]);
		const ids = new Set(servers.map((s) => s.id));
		const customers = await Promise.all(Array.from({ length: 50 }, () => createCustomer()));
		try {
			// Other tests may have left active servers with room; capacity here counts only ours.
			const responses = await withOnlyServers([...ids], () =>
				Promise.all(customers.map((customer) => api('POST', '/nextpanel/accounts', { body: { customer: customer.id } }))),
			);
			const statuses = responses.map((r) => r.status);
			const created = responses.filter((r) => r.status === 201);
			expect(created.length, `statuses: ${statuses.join(',')}`).toBe(45);
			expect(responses.filter((r) => r.status === 400 || r.status === 409).length).toBe(5);
			for (const rejected of responses.filter((r) => r.status !== 201)) expect(rejected.body.errors[0].message).toMatch(/full/);

			const usage = (await api('GET', '/nextpanel/servers/capacity')).body.data.filter((s: { id: string }) => ids.has(s.id));
			expect(usage).toHaveLength(servers.length);
			for (const server of usage) expect(server.active_accounts).toBeLessThanOrEqual(server.capacity);
			for (const server of servers) {
				const onServer = created.filter((r) => r.body.data.server === server.id).length;
				const capacity = usage.find((u: { id: string }) => u.id === server.id).capacity;
				expect(onServer).toBeLessThanOrEqual(capacity);
			}
			const billingIds = new Set(customers.map((c) => c.id));
			const remote = [...(await simulator('b').accounts()), ...(await simulator('c').accounts())].filter((a) =>
				billingIds.has(a.billing_id ?? ''),
			);
			expect(remote).toHaveLength(45);
		} finally {
			await Promise.all(servers.map((s) => api('PATCH', `/items/nextpanel_servers/${s.id}`, { body: { status: 'disabled' } })));
		}
	});

	test('10 parallel requests for one account send one create', async () => {
		const server = await registerServer({ simulator: 'a' });
		await simulator('a').addFault({ kind: 'latency', ms: 300, match: { method: 'POST', path: '/api/v1/billing/accounts' }, times: 1 });
		try {
			const customer = await createCustomer();
			// An account created through the item API is provisioned in the background...
			const account = (await sdk().request(
				createItem('hosting_accounts', { customer: customer.id, server: server.id, username: `race${Date.now().toString(36)}` }),
			)) as Record<string, any>;
			// ...while ten retries race for it.
			const responses = await Promise.all(Array.from({ length: 10 }, () => api('POST', `/nextpanel/accounts/${account['id']}/retry`)));
			for (const response of responses) expect([200, 409]).toContain(response.status);
			await waitForStatus(account['id'], ['active']);
			const creates = (await simulator('a').calls()).calls.filter(
				(c) => c.key === server.apiKey && c.method === 'POST' && c.path === '/api/v1/billing/accounts',
			);
			expect(creates).toHaveLength(1);
			expect((await simulator('a').accounts()).filter((a) => a.billing_id === customer.id)).toHaveLength(1);
		} finally {
			await simulator('a').clearFaults();
		}
	});

	test('ten identical provisioning requests (a double click times ten) create one account', async () => {
		const server = await registerServer({ simulator: 'a' });
		const customer = await createCustomer();
		const username = `click${Date.now().toString(36)}`;
		const responses = await Promise.all(
			Array.from({ length: 10 }, () =>
				api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id, username } }),
			),
		);
		expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
		for (const response of responses.filter((r) => r.status !== 201)) expect([400, 409]).toContain(response.status);
		expect((await simulator('a').accounts()).filter((a) => a.username === username)).toHaveLength(1);
	});
});
