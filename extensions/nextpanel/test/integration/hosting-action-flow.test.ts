// The manual flow "NextPanel: hosting action" the installer creates for Directus 12's AI Assistant
// and MCP clients: each action through POST /flows/trigger/:id as the app sends it, with the
// permissions of whoever triggers it, terminate refused, and the same flow through Directus's MCP
// endpoint (the trigger-flow tool) as an MCP client calls it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, createCustomer, errorOf, harness, readAccount, registerServer, simulator, type Caller } from '../harness/client.ts';

let flowId: string;
let server: Awaited<ReturnType<typeof registerServer>>;

const trigger = (body: Record<string, unknown>, as: Caller = 'admin') => api('POST', `/flows/trigger/${flowId}`, { as, body });

async function activeAccount(): Promise<Record<string, any>> {
	const created = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: server.id } });
	expect(created.status, created.text).toBe(201);
	return created.body.data;
}

beforeAll(async () => {
	server = await registerServer({ simulator: 'a' });
});

afterAll(async () => {
	await api('PATCH', '/settings', { body: { mcp_enabled: false } });
});

describe('the flow the installer creates', () => {
	test('is one active manual flow on customers and hosting accounts, whose description says what it does and does not do', async () => {
		const flows = (await api('GET', `/flows?filter[name][_eq]=${encodeURIComponent('NextPanel: hosting action')}&fields=*,operations.type`))
			.body.data as Record<string, any>[];
		expect(flows).toHaveLength(1);
		const [flow] = flows;
		flowId = flow!['id'];
		expect(flow).toMatchObject({ status: 'active', trigger: 'manual' });
		expect(flow!['options'].collections).toEqual(['customers', 'hosting_accounts']);
		expect(flow!['operations'].map((o: { type: string }) => o.type)).toEqual(['nextpanel-hosting-action']);
		expect(flow!['description']).toMatch(/provision.*suspend.*unsuspend.*sync usage.*extend/s);
		expect(flow!['description']).toMatch(/never terminates.*never reveals a password/);
		const action = flow!['options'].fields.find((field: { field: string }) => field.field === 'action');
		expect(action.meta.options.choices.map((choice: { value: string }) => choice.value)).toEqual([
			'provision',
			'suspend',
			'unsuspend',
			'sync_usage',
			'extend_term',
		]);
	});
});

describe('POST /flows/trigger/:id', () => {
	test('suspend with a reason, then unsuspend, on the selected hosting account', async () => {
		const account = await activeAccount();
		const suspended = await trigger({ collection: 'hosting_accounts', keys: [account['id']], action: 'suspend', reason: 'Chargeback' });
		expect(suspended.status, suspended.text).toBe(200);
		expect(suspended.body).toMatchObject({ action: 'suspend', count: 1 });
		expect(await readAccount(account['id'])).toMatchObject({ status: 'suspended', suspend_reason: 'Chargeback' });
		const back = await trigger({ collection: 'hosting_accounts', keys: [account['id']], action: 'unsuspend' });
		expect(back.status, back.text).toBe(200);
		expect((await readAccount(account['id']))['status']).toBe('active');
	});

	test('a suspend without a reason stores none, not the text of a missing template', async () => {
		const account = await activeAccount();
		expect((await trigger({ collection: 'hosting_accounts', keys: [account['id']], action: 'suspend' })).status).toBe(200);
		expect(await readAccount(account['id'])).toMatchObject({ status: 'suspended', suspend_reason: null });
	});

	test('sync usage and extend the term', async () => {
		const account = await activeAccount();
		await simulator('a').setUsage(account['nextpanel_account_id'], { disk_used_mb: 777, disk_limit_mb: 2048 });
		expect((await trigger({ collection: 'hosting_accounts', keys: [account['id']], action: 'sync_usage' })).status).toBe(200);
		expect(await readAccount(account['id'])).toMatchObject({ disk_used_mb: 777, disk_limit_mb: 2048 });
		const extended = await trigger({ collection: 'hosting_accounts', keys: [account['id']], action: 'extend_term', until: '2031-05-31' });
		expect(extended.status, extended.text).toBe(200);
		expect(String((await readAccount(account['id']))['paid_until']).slice(0, 10)).toBe('2031-05-31');
	});

	test('provision for the selected customers', async () => {
		const customer = await createCustomer();
		const provisioned = await trigger({ collection: 'customers', keys: [customer.id], action: 'provision' });
		expect(provisioned.status, provisioned.text).toBe(200);
		expect(provisioned.body.results[0]).toMatchObject({ status: 'active', customer: customer.id });
	});

	test('terminate is refused by name, and nothing happens to the account', async () => {
		const account = await activeAccount();
		for (const action of ['terminate', 'reveal_password', 'delete everything']) {
			const refused = await trigger({ collection: 'hosting_accounts', keys: [account['id']], action });
			expect(refused.status, action).toBeGreaterThanOrEqual(400);
			expect(refused.status, action).toBeLessThan(500);
		}
		const terminate = await trigger({ collection: 'hosting_accounts', keys: [account['id']], action: 'terminate' });
		expect(errorOf(terminate).message).toMatch(/never terminates an account/);
		expect((await readAccount(account['id']))['status']).toBe('active');
		expect((await simulator('a').account(account['nextpanel_account_id'])).deleted).toBeFalsy();
	});

	test("runs with the caller's permissions: the operator may, a read-only user may not", async () => {
		const account = await activeAccount();
		const operator = await trigger(
			{ collection: 'hosting_accounts', keys: [account['id']], action: 'suspend', reason: 'by the operator' },
			'operator',
		);
		expect(operator.status, operator.text).toBe(200);
		expect((await readAccount(account['id']))['status']).toBe('suspended');
		const viewer = await trigger({ collection: 'hosting_accounts', keys: [account['id']], action: 'unsuspend' }, 'viewer');
		expect(viewer.status).toBeGreaterThanOrEqual(400);
		expect((await readAccount(account['id']))['status']).toBe('suspended');
	});
});

describe("Directus's MCP endpoint", () => {
	async function mcp(method: string, params: Record<string, unknown>) {
		const response = await fetch(`${harness().url}/mcp`, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${harness().adminToken}`,
				'content-type': 'application/json',
				accept: 'application/json, text/event-stream',
			},
			body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
		});
		const text = await response.text();
		// A streamable-HTTP answer may come as one server-sent event.
		const json = text.startsWith('{')
			? text
			: (text
					.split('\n')
					.find((line) => line.startsWith('data: '))
					?.slice(6) ?? text);
		return { status: response.status, body: JSON.parse(json) };
	}

	test('an MCP client suspends an account through the trigger-flow tool', async () => {
		expect((await api('PATCH', '/settings', { body: { mcp_enabled: true } })).status).toBe(200);
		const account = await activeAccount();
		const tools = await mcp('tools/list', {});
		expect(tools.status).toBe(200);
		expect(tools.body.result.tools.map((tool: { name: string }) => tool.name)).toContain('trigger-flow');
		const called = await mcp('tools/call', {
			name: 'trigger-flow',
			arguments: {
				id: flowId,
				collection: 'hosting_accounts',
				keys: [account['id']],
				data: { action: 'suspend', reason: 'asked the assistant' },
			},
		});
		expect(called.status).toBe(200);
		expect(called.body.result.isError ?? false, JSON.stringify(called.body)).toBe(false);
		expect(await readAccount(account['id'])).toMatchObject({ status: 'suspended', suspend_reason: 'asked the assistant' });
	});
});
