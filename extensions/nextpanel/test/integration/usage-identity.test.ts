// Usage figures are stored on a hosting account only when the account at its NextPanel id is
// still that account: the same identity check as every write. Tried over REST, through the Flow
// operation and by the usage job, with the id now holding another username or billing id.
import { createFlow, createItem, createOperation, deleteFlows, updateFlow } from '@directus/sdk';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { createSimulator } from '../../../../scripts/simulator/server.ts';
import { afterEach, describe, expect, test } from 'vitest';
import { api, createCustomer, errorOf, readAccount, registerServer, sdk, simulator, unique, withOnlyServers } from '../harness/client.ts';

const flows: string[] = [];
afterEach(async () => {
	if (flows.length) await sdk().request(deleteFlows(flows.splice(0)));
});

async function movedAccount(change: 'username' | 'billing_id') {
	const server = await registerServer();
	const customer = await createCustomer();
	const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
	expect(created.status).toBe(201);
	const account = created.body.data as Record<string, any>;
	const remoteId = Number(account['nextpanel_account_id']);
	await simulator(server.simulator).setUsage(remoteId, {
		disk_used_mb: 999,
		disk_limit_mb: 1000,
		bandwidth_used_mb: 5,
		bandwidth_limit_mb: 10,
	});
	// The id on NextPanel now holds somebody else.
	await simulator(server.simulator).updateAccount(
		remoteId,
		change === 'username' ? { username: unique('someoneelse') } : { billing_id: 'other-customer' },
	);
	return { server, account };
}

const usageOf = async (id: string) => {
	const row = await readAccount(id);
	return { disk_used_mb: row['disk_used_mb'], bandwidth_used_mb: row['bandwidth_used_mb'], usage_synced_at: row['usage_synced_at'] };
};

describe('usage sync checks whose account it reads', () => {
	test.each(['username', 'billing_id'] as const)('REST: the id now holding another %s is a 409 and nothing is stored', async (change) => {
		const { account } = await movedAccount(change);
		const before = await usageOf(account['id']);
		const response = await api('POST', `/nextpanel/accounts/${account['id']}/sync`, { body: {} });
		expect(response.status).toBe(409);
		expect(errorOf(response).message).toMatch(/is not this account any more/);
		expect(await usageOf(account['id'])).toEqual(before);
	});

	test('Flow operation: the flow takes its reject path and nothing is stored', async () => {
		const { account } = await movedAccount('username');
		const before = await usageOf(account['id']);
		const admin = sdk();
		const flow = (await admin.request(
			createFlow({
				name: 'usage identity',
				status: 'active',
				trigger: 'webhook',
				accountability: 'activity',
				options: { method: 'POST', async: false, return: '$last' },
			} as never),
		)) as { id: string };
		flows.push(flow.id);
		const rejected = (await admin.request(
			createOperation({
				flow: flow.id,
				key: 'rejected',
				name: 'Rejected',
				type: 'transform',
				position_x: 37,
				position_y: 19,
				options: { json: { rejected: true, error: '{{$last}}' } },
			} as never),
		)) as { id: string };
		const sync = (await admin.request(
			createOperation({
				flow: flow.id,
				key: 'sync',
				name: 'sync',
				type: 'nextpanel-sync-usage',
				position_x: 19,
				position_y: 1,
				options: { account: '{{$trigger.body.account}}' },
				reject: rejected.id,
			} as never),
		)) as { id: string };
		await admin.request(updateFlow(flow.id, { operation: sync.id } as never));
		const run = await api('POST', `/flows/trigger/${flow.id}`, { body: { account: account['id'] } });
		expect(run.body.rejected).toBe(true);
		expect(JSON.stringify(run.body.error)).toMatch(/is not this account any more/);
		expect(await usageOf(account['id'])).toEqual(before);
	});

	test('usage job: the moved account is counted as failed and keeps its figures; an account still ours is synced', async () => {
		const { server, account } = await movedAccount('username');
		const before = await usageOf(account['id']);
		const good = (await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: server.id } })).body
			.data;
		await simulator(server.simulator).setUsage(Number(good['nextpanel_account_id']), {
			disk_used_mb: 321,
			disk_limit_mb: 1000,
			bandwidth_used_mb: 1,
			bandwidth_limit_mb: 10,
		});
		const job = await api('POST', '/nextpanel/jobs/usage');
		expect(job.status).toBe(200);
		expect(job.body.data.failed).toBeGreaterThanOrEqual(1);
		expect(await usageOf(account['id'])).toEqual(before);
		expect((await usageOf(good['id'])).disk_used_mb).toBe(321);
	});
});

describe('the usage job paces itself per server', () => {
	test('a server that answers 429 is not asked again in the same run; without it every due account is read once', async () => {
		const sim = await createSimulator({
			port: 0,
			controlPort: 0,
			keys: [{ key: 'npk_usage', secret: 'nps_usage_secret', level: 'SUPER_ADMIN' }],
		});
		try {
			const control = new SimulatorControl(sim.controlUrl);
			const server = (await sdk().request(
				createItem('nextpanel_servers', {
					name: unique('Usage '),
					base_url: sim.apiUrl,
					api_key: 'npk_usage',
					api_secret: 'nps_usage_secret',
					capacity: 50,
					status: 'active',
				}),
			)) as { id: string };
			for (let i = 0; i < 4; i++) {
				const created = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: server.id } });
				expect(created.status).toBe(201);
			}
			const stats = async () => (await control.calls({ method: 'GET', path: '/api/v1/billing/accounts/*/stats' })).count;
			await control.addFault({ kind: 'rate_limit', match: { path: '/api/v1/billing/accounts/*/stats' }, retry_after: 3600 });
			await control.resetCalls();
			// Only this server is in service, so the run reads nothing of the other files' servers.
			const usageRun = () => withOnlyServers([server.id], () => api('POST', '/nextpanel/jobs/usage'));
			expect((await usageRun()).status).toBe(200);
			expect(await stats()).toBe(1);

			await control.clearFaults();
			await control.resetCalls();
			expect((await usageRun()).status).toBe(200);
			expect(await stats()).toBe(4);
		} finally {
			await sim.close();
		}
	});
});
