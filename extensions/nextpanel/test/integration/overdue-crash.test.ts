// A Directus instance killed (kill -9) in the middle of an overdue run, while NextPanel is still
// answering a suspend: after a restart the next run finishes the job. Every due account ends
// suspended in Directus and on NextPanel, none twice over, and none is left leased or half-written.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { createSimulator, type Simulator } from '../../../../scripts/simulator/server.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-overdue-crash-'));
const credentials = newCredentials();
let database: TestDatabase;
let directus: BootedDirectus | null = null;
let sim: Simulator;
let control: SimulatorControl;

async function call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
	const response = await fetch(`${directus!.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${credentials.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null, text };
}

async function boot(prepare = false): Promise<void> {
	directus = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name: `crash-${Date.now()}`,
		prepare,
		// A short lease, so the restarted instance may take over the dead one's within the test.
		env: { NEXTPANEL_WELCOME_MAIL: 'false', NEXTPANEL_OVERDUE_MAIL: 'false', NEXTPANEL_LEASE_MS: '3000' },
	});
}

const day = (offset: number) => {
	const date = new Date();
	date.setDate(date.getDate() + offset);
	return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
};

const accounts: { id: string; remote: number }[] = [];

beforeAll(async () => {
	mkdirSync(join(tmp, 'db'), { recursive: true });
	database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', join(tmp, 'db'));
	sim = await createSimulator({ port: 0, controlPort: 0, keys: [{ key: 'npk_crash', secret: 'nps_crash_secret', level: 'SUPER_ADMIN' }] });
	control = new SimulatorControl(sim.controlUrl);
	await boot(true);
	const server = (
		await call('POST', '/items/nextpanel_servers', {
			name: 'Crash panel',
			base_url: sim.apiUrl,
			api_key: 'npk_crash',
			api_secret: 'nps_crash_secret',
			capacity: 10,
			status: 'active',
		})
	).body.data;
	for (let i = 0; i < 3; i++) {
		const customer = (await call('POST', '/items/customers', { full_name: `Crash ${i}`, email: `crash-${i}-${Date.now()}@example.com` }))
			.body.data;
		const created = await call('POST', '/nextpanel/accounts', { customer: customer.id, server: server.id });
		expect(created.status, created.text).toBe(201);
		accounts.push({ id: created.body.data.id, remote: created.body.data.nextpanel_account_id });
		expect((await call('PATCH', `/items/hosting_accounts/${created.body.data.id}`, { paid_until: day(-10 - i) })).status).toBe(200);
	}
}, 240_000);

afterAll(async () => {
	await directus?.stop();
	await sim?.close();
	await database?.drop();
	rmSync(tmp, { recursive: true, force: true });
});

describe('kill -9 during an overdue run', () => {
	test('the restarted instance finishes the run: each account suspended once, none left leased', async () => {
		// The first suspend NextPanel receives takes 3 s: the instance dies while it waits.
		await control.addFault({ kind: 'latency', ms: 3000, times: 1, match: { method: 'POST', path: '/api/v1/billing/accounts/*/suspend' } });
		await control.resetCalls();
		const running = call('POST', '/nextpanel/jobs/overdue', {}).catch(() => null);
		const deadline = Date.now() + 20_000;
		while ((await control.calls({ method: 'POST', path: '/api/v1/billing/accounts/*/suspend' })).count === 0) {
			if (Date.now() > deadline) throw new Error('the overdue run never reached NextPanel');
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		await directus!.stop('SIGKILL');
		await running;
		await new Promise((resolve) => setTimeout(resolve, 3500));
		const statuses = async () => (await control.accounts()).filter((a) => accounts.some((b) => b.remote === a.id)).map((a) => a.status);
		// At most the one suspend in flight reached NextPanel; Directus recorded none of it.
		expect((await statuses()).filter((s) => s === 'suspended').length).toBeLessThanOrEqual(1);

		await boot();
		const run = await call('POST', '/nextpanel/jobs/overdue', {});
		expect(run.status, run.text).toBe(200);
		for (const account of accounts) {
			const row = (await call('GET', `/items/hosting_accounts/${account.id}?fields=status,overdue_suspended_at,suspend_reason`)).body.data;
			expect(row.status).toBe('suspended');
			expect(row.overdue_suspended_at).not.toBeNull();
			expect(row.suspend_reason).toMatch(/^Overdue: paid until /);
		}
		expect(await statuses()).toEqual(['suspended', 'suspended', 'suspended']);
		// The lost suspend is not repeated blindly: the account that NextPanel had suspended is
		// found suspended ("already suspended" is checked against the server), the others once each.
		const suspends = (await control.calls({ method: 'POST', path: '/api/v1/billing/accounts/*/suspend' })).calls;
		for (const account of accounts) {
			expect(suspends.filter((c) => c.path === `/api/v1/billing/accounts/${account.remote}/suspend`).length).toBeLessThanOrEqual(2);
		}
		expect((await call('POST', '/nextpanel/jobs/overdue', {})).body.data.processed).toBe(0);
	});
});
