// Every NextPanel operation inside a real flow, on its resolve and its reject path, plus the
// example flow shipped in docs/flows.
import { createFlow, createOperation, deleteFlows, updateFlow, updateItem } from '@directus/sdk';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { importFlow, readFlowFile } from '../../../../scripts/lib/flow-import.ts';
import { projectRoot } from '../../../../scripts/lib/paths.ts';
import { api, createCustomer, readAccount, registerServer, sdk, simulator, waitForStatus } from '../harness/client.ts';

// Directus 12's core licence allows five active flows: every test removes the flows it made.
const created: string[] = [];
afterEach(async () => {
	if (created.length) await sdk().request(deleteFlows(created.splice(0)));
});

/**
 * A webhook flow: the operation under test, whose reject path leads to a `transform` that
 * reports the rejection, so both paths answer the trigger request.
 */
async function webhookFlow(type: string, options: Record<string, unknown>): Promise<string> {
	const admin = sdk();
	const flow = (await admin.request(
		createFlow({
			name: `test ${type}`,
			status: 'active',
			trigger: 'webhook',
			accountability: 'all',
			options: { method: 'POST', async: false, return: '$last' },
		} as never),
	)) as { id: string };
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
	const operation = (await admin.request(
		createOperation({
			flow: flow.id,
			key: 'under_test',
			name: type,
			type,
			position_x: 19,
			position_y: 1,
			options,
			reject: rejected.id,
		} as never),
	)) as { id: string };
	await admin.request(updateFlow(flow.id, { operation: operation.id } as never));
	created.push(flow.id);
	return flow.id;
}

const trigger = (flowId: string, body: Record<string, unknown>) => api('POST', `/flows/trigger/${flowId}`, { body });

async function activeAccount(server?: Awaited<ReturnType<typeof registerServer>>) {
	const target = server ?? (await registerServer());
	const customer = await createCustomer();
	const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: target.id } });
	expect(created.status).toBe(201);
	return { server: target, customer, account: created.body.data as Record<string, any> };
}

describe('Flow operations', () => {
	test('nextpanel-provision: resolves with the active account, rejects with the readable reason', async () => {
		const server = await registerServer();
		const flow = await webhookFlow('nextpanel-provision', { customer: '{{$trigger.body.customer}}', server: '{{$trigger.body.server}}' });
		const customer = await createCustomer();
		const ok = await trigger(flow, { customer: customer.id, server: server.id });
		expect(ok.status).toBe(200);
		expect(ok.body).toMatchObject({ customer: customer.id, server: server.id, status: 'active' });
		expect(JSON.stringify(ok.body)).not.toMatch(/password/i);

		const billing = await registerServer({ level: 'BILLING' });
		const failed = await trigger(flow, { customer: (await createCustomer()).id, server: billing.id });
		expect(failed.body.rejected).toBe(true);
		expect(JSON.stringify(failed.body.error)).toMatch(/SUPER_ADMIN/);

		const invalid = await trigger(flow, { customer: 'not-an-id', server: server.id });
		expect(invalid.body.rejected).toBe(true);
		expect(JSON.stringify(invalid.body.error)).toMatch(/customer: must be the id of a customer/);
	});

	test('nextpanel-suspend / unsuspend / terminate / sync-usage on one account', async () => {
		const { server, account } = await activeAccount();
		const suspend = await webhookFlow('nextpanel-suspend', { account: '{{$trigger.body.account}}', reason: 'flow test' });
		const unsuspend = await webhookFlow('nextpanel-unsuspend', { account: '{{$trigger.body.account}}' });
		const sync = await webhookFlow('nextpanel-sync-usage', { account: '{{$trigger.body.account}}' });
		const terminate = await webhookFlow('nextpanel-terminate', { account: '{{$trigger.body.account}}' });

		expect((await trigger(suspend, { account: account['id'] })).body).toMatchObject({ id: account['id'], status: 'suspended' });
		const again = await trigger(suspend, { account: account['id'] });
		expect(again.body.rejected).toBe(true);
		expect(JSON.stringify(again.body.error)).toMatch(/cannot be suspended/);
		expect((await trigger(unsuspend, { account: account['id'] })).body).toMatchObject({ status: 'active' });

		await simulator(server.simulator).setUsage(account['nextpanel_account_id'], {
			disk_used_mb: 42,
			disk_limit_mb: 1000,
			bandwidth_used_mb: 7,
			bandwidth_limit_mb: 2000,
		});
		expect((await trigger(sync, { account: account['id'] })).body).toMatchObject({ status: 'active' });
		expect(await readAccount(account['id'])).toMatchObject({ disk_used_mb: 42, bandwidth_used_mb: 7 });

		expect((await trigger(terminate, { account: account['id'] })).body).toMatchObject({ status: 'terminated' });
		expect((await trigger(terminate, { account: account['id'] })).body.rejected).toBe(true);
	});

	test('nextpanel-test-connection: resolves with the checks, rejects when the key cannot provision', async () => {
		const good = await registerServer();
		const billing = await registerServer({ level: 'BILLING' });
		const flow = await webhookFlow('nextpanel-test-connection', {
			server: { key: '{{$trigger.body.server}}', collection: 'nextpanel_servers' },
		});
		expect((await trigger(flow, { server: good.id })).body).toMatchObject({ ok: true, status: 'ok' });
		const failed = await trigger(flow, { server: billing.id });
		expect(failed.body.rejected).toBe(true);
		expect(JSON.stringify(failed.body.error)).toMatch(/SUPER_ADMIN/);
	});

	test('the shipped example flow suspends the hosting of a customer set to inactive', async () => {
		const { customer, account } = await activeAccount();
		created.push(await importFlow(sdk(), readFlowFile(join(projectRoot, 'docs', 'flows', 'suspend-hosting-of-inactive-customers.json'))));
		await sdk().request(updateItem('customers', customer.id, { status: 'inactive' }));
		const suspended = await waitForStatus(account['id'], ['suspended']);
		expect(suspended['suspend_reason']).toBe('Customer set to inactive');
	});

	test("a flow cannot act beyond the trigger user's rights", async () => {
		const { account } = await activeAccount();
		const flow = await webhookFlow('nextpanel-suspend', { account: '{{$trigger.body.account}}' });
		const viewer = await api('POST', `/flows/trigger/${flow}`, { as: 'viewer', body: { account: account['id'] } });
		expect(JSON.stringify(viewer.body)).toMatch(/not allowed|permission|forbidden/i);
		expect((await readAccount(account['id']))['status']).toBe('active');
	});
});

describe("Directus's own Run Script operation", () => {
	// The project pins isolated-vm 6.2 (package.json overrides), whose npm package carries builds for
	// Node 22 and 24, instead of compiling Directus's 5.0.3 at install. Scripts in flows must still run.
	test('runs a script in its sandbox and hands on what it returns', async () => {
		const flow = await webhookFlow('exec', {
			code: 'module.exports = async function (data) { return { sum: data.$trigger.body.a + data.$trigger.body.b }; };',
		});
		const response = await trigger(flow, { a: 2, b: 40 });
		expect(response.status, response.text).toBe(200);
		expect(response.body).toEqual({ sum: 42 });
	});
});
