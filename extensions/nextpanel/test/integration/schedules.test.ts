// The scheduled jobs: crash recovery (with and without a create that reached NextPanel), usage
// sync and server health checks.
import { randomUUID } from 'node:crypto';
import { readItem } from '@directus/sdk';
import { afterAll, describe, expect, test } from 'vitest';
import { expectRecentTimestamp } from '../harness/expectations.ts';
import {
	api,
	createCustomer,
	rawDatabase,
	registerServer,
	sealedPassword,
	sdk,
	simulator,
	unique,
	waitForStatus,
	type RegisteredServer,
} from '../harness/client.ts';

const db = rawDatabase();
afterAll(() => db.destroy());

/** The row a Directus instance leaves when it dies in the middle of provisioning. */
async function abandonedAccount(
	server: RegisteredServer,
	customer: string,
	username: string,
	leaseExpiresMs = Date.now() - 1000,
): Promise<string> {
	const id = randomUUID();
	await db('hosting_accounts').insert({
		id,
		customer,
		server: server.id,
		username,
		status: 'provisioning',
		attempts: 1,
		create_attempted: true,
		password_ciphertext: sealedPassword('Crash-Recovery-Password-7'),
		password_generated: true,
		lease_owner: 'dead-instance:1',
		lease_expires_ms: leaseExpiresMs,
	});
	return id;
}

async function createOnNextPanel(server: RegisteredServer, username: string, billingId: string): Promise<number> {
	const response = await fetch(`${server.baseUrl}/api/v1/billing/accounts`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'X-API-Key': server.apiKey, 'X-API-Secret': server.apiSecret },
		body: JSON.stringify({ username, email: `${username}@example.com`, password: 'created-before-crash', billing_id: billingId }),
	});
	expect(response.status).toBe(201);
	return ((await response.json()) as { id: number }).id;
}

describe('crash recovery by the retry schedule', () => {
	test('a create that reached NextPanel before the crash is adopted, not repeated', async () => {
		const server = await registerServer({ simulator: 'c' });
		const customer = await createCustomer();
		const username = unique('crashed_');
		const remoteId = await createOnNextPanel(server, username, customer.id);
		const id = await abandonedAccount(server, customer.id, username);

		const active = await waitForStatus(id, ['active'], 20_000);
		expect(active['nextpanel_account_id']).toBe(remoteId);
		// The create that landed before the crash is counted, and the call log says what recovery found.
		expect(active['attempts']).toBe(1);
		const trace = await db('nextpanel_logs').select('action', 'outcome', 'message').where({ hosting_account: id, action: 'adopt_account' });
		expect(trace).toEqual([
			expect.objectContaining({ outcome: 'ok', message: expect.stringMatching(new RegExp(`Found NextPanel account ${remoteId}`)) }),
		]);
		expect((await simulator('c').accounts()).filter((a) => a.username === username)).toHaveLength(1);
		const creates = (await simulator('c').calls({ method: 'POST', path: '/api/v1/billing/accounts' })).calls.filter(
			(c) => c.key === server.apiKey,
		);
		expect(creates).toHaveLength(1);
	});

	test('a create that never left is sent once by the recovering run', async () => {
		const server = await registerServer({ simulator: 'c' });
		const customer = await createCustomer();
		const username = unique('crashed_');
		const id = await abandonedAccount(server, customer.id, username);
		const active = await waitForStatus(id, ['active'], 20_000);
		expect((await simulator('c').accounts()).filter((a) => a.username === username).map((a) => a.id)).toEqual([
			active['nextpanel_account_id'],
		]);
	});

	test('a live lease is left alone until it expires', async () => {
		const server = await registerServer({ simulator: 'c' });
		const customer = await createCustomer();
		const id = await abandonedAccount(server, customer.id, unique('busy_'), Date.now() + 4000);
		// The retry job runs to its end while the lease is live, and leaves the account alone.
		expect((await api('POST', '/nextpanel/jobs/retry')).status).toBe(200);
		expect((await sdk().request(readItem('hosting_accounts', id)))['status']).toBe('provisioning');
		expect(
			(await simulator('c').calls({ method: 'POST', path: '/api/v1/billing/accounts' })).calls.filter((c) => c.key === server.apiKey),
		).toHaveLength(0);
		await waitForStatus(id, ['active'], 20_000);
	});
});

describe('usage and health jobs', () => {
	test('the usage job stores what NextPanel reports for every active account', async () => {
		const server = await registerServer({ simulator: 'a' });
		const created = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: server.id } });
		const account = created.body.data;
		await simulator('a').setUsage(account.nextpanel_account_id, {
			disk_used_mb: 321,
			disk_limit_mb: 2048,
			bandwidth_used_mb: 99,
			bandwidth_limit_mb: 4096,
		});
		const job = await api('POST', '/nextpanel/jobs/usage');
		expect(job.status).toBe(200);
		expect(job.body.data.processed).toBeGreaterThan(0);
		expect(await sdk().request(readItem('hosting_accounts', account.id))).toMatchObject({ disk_used_mb: 321, bandwidth_limit_mb: 4096 });
	});

	test('the health job records the connection test on every active server', async () => {
		const weak = await registerServer({ level: 'BILLING' });
		const started = Date.now();
		const job = await api('POST', '/nextpanel/jobs/health');
		expect(job.status).toBe(200);
		const saved = await sdk().request(readItem('nextpanel_servers', weak.id));
		expect(saved).toMatchObject({ last_check_status: 'insufficient_permission' });
		expectRecentTimestamp(saved['last_check_at'], started);
	});

	test('only administrators may run jobs on demand', async () => {
		expect((await api('POST', '/nextpanel/jobs/usage', { as: 'operator' })).status).toBe(403);
		expect((await api('POST', '/nextpanel/jobs/nothing')).status).toBe(400);
	});
});
