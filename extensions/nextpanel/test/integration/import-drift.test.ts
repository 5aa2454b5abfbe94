// Adopting the accounts a NextPanel server already has, and reporting drift between Directus and
// NextPanel. Each test runs against a simulator of its own, so "every account on the server" is
// exactly what the test put there; changes "in NextPanel's admin" go through its control API.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createSimulator, type Simulator } from '../../../../scripts/simulator/server.ts';
import { SimulatorControl, type SeedAccountInput } from '../../../../scripts/simulator/control-client.ts';
import { api, createCustomer, errorOf, registerServer, sdk, unique } from '../harness/client.ts';
import { expectRecentTimestamp } from '../harness/expectations.ts';
import { createItem, readItems } from '@directus/sdk';

let sim: Simulator;
let control: SimulatorControl;
let serverId: string;
const key = { key: 'npk_import', secret: 'nps_import_secret' };

beforeEach(async () => {
	sim = await createSimulator({ port: 0, controlPort: 0, keys: [{ ...key, level: 'SUPER_ADMIN' }] });
	control = new SimulatorControl(sim.controlUrl);
	const server = await sdk().request(
		createItem('nextpanel_servers', {
			name: unique('Import '),
			base_url: sim.apiUrl,
			api_key: key.key,
			api_secret: key.secret,
			capacity: 50,
			status: 'active',
		}),
	);
	serverId = (server as { id: string }).id;
});

afterEach(async () => {
	await sim.close();
});

const seed = (fields: Partial<SeedAccountInput> & { username: string }) =>
	control.seedAccount({ email: `${fields.username}@example.com`, password: 'Seeded-Password-1', ...fields });

const writes = async () => (await control.calls()).calls.filter((call) => call.method !== 'GET');
const accountsOfServer = async () =>
	(await sdk().request(readItems('hosting_accounts', { filter: { server: { _eq: serverId } }, fields: ['*'], limit: -1 }))) as Record<
		string,
		any
	>[];
const importNow = (body: Record<string, unknown>, as?: 'operator' | 'viewer') =>
	api('POST', `/nextpanel/servers/${serverId}/import`, { body, as });

describe('POST /nextpanel/servers/:id/import', () => {
	test("links by billing id, then by e-mail ignoring case, keeps NextPanel's status, and reports what it cannot decide", async () => {
		const byId = await createCustomer();
		const byMail = await createCustomer();
		const first = await seed({ username: unique('byid'), billing_id: byId.id, email: 'someone-else@example.com' });
		const second = await seed({ username: unique('bymail'), email: byMail.email.toUpperCase(), status: 'suspended' });
		const nobody = await seed({ username: unique('nobody'), email: `nobody-${unique('')}@example.com` });

		const dry = await importNow({ dry_run: true });
		expect(dry.status).toBe(200);
		const rows = dry.body.data.rows as Record<string, any>[];
		expect(rows.find((r) => r.remote_id === first.id)).toMatchObject({ action: 'import', match: 'billing_id', customer: byId.id });
		expect(rows.find((r) => r.remote_id === second.id)).toMatchObject({
			action: 'import',
			match: 'email',
			customer: byMail.id,
			nextpanel_status: 'suspended',
		});
		expect(rows.find((r) => r.remote_id === nobody.id)).toMatchObject({ action: 'skip', reason: 'no_customer' });
		expect(dry.body.data).toMatchObject({ dry_run: true, remote_total: 3, already_linked: 0 });
		// A dry run writes nothing anywhere.
		expect(await accountsOfServer()).toHaveLength(0);

		const done = await importNow({});
		expect(done.status).toBe(200);
		expect(done.body.data.counts).toMatchObject({ import: 2, skip: 1, by_billing_id: 1, by_email: 1 });
		const imported = await accountsOfServer();
		expect(imported.map((a) => [a.nextpanel_account_id, a.customer, a.status]).sort()).toEqual(
			[
				[first.id, byId.id, 'active'],
				[second.id, byMail.id, 'suspended'],
			].sort(),
		);
		expect(imported.find((a) => a.nextpanel_account_id === first.id)).toMatchObject({ username: first.username, revealable: false });

		// Again: nothing new.
		const again = await importNow({});
		expect(again.body.data).toMatchObject({ already_linked: 2, counts: { import: 0 } });
		expect(await accountsOfServer()).toHaveLength(2);
		expect(await writes()).toEqual([]);
	});

	test('creates customers when asked, one per e-mail, and never guesses between two customers with one e-mail', async () => {
		const shared = `shared-${unique('')}@example.com`;
		const a = await seed({ username: unique('newa'), email: shared, full_name: 'New Person' });
		const b = await seed({ username: unique('newb'), email: shared.toUpperCase() });
		const ambiguous = `amb-${unique('')}@example.com`;
		const firstCustomer = await createCustomer({ email: ambiguous });
		// A second customer with the same address in another case (the customers' unique index is case-sensitive).
		const secondCustomer = await createCustomer({ email: ambiguous.toUpperCase() });
		const c = await seed({ username: unique('amb'), email: ambiguous });

		const result = await importNow({ create_customers: true });
		expect(result.status).toBe(200);
		const rows = result.body.data.rows as Record<string, any>[];
		expect(rows.find((r) => r.remote_id === c.id)).toMatchObject({ action: 'skip', reason: 'ambiguous_email' });
		expect(result.body.data.counts.new_customers).toBe(1);
		const imported = await accountsOfServer();
		const customerOfA = imported.find((x) => x.nextpanel_account_id === a.id)!.customer;
		expect(imported.find((x) => x.nextpanel_account_id === b.id)!.customer).toBe(customerOfA);
		const created = (await api('GET', `/items/customers/${customerOfA}`)).body.data;
		expect(created).toMatchObject({ full_name: 'New Person', email: shared });
		expect([firstCustomer.id, secondCustomer.id]).not.toContain(customerOfA);
		expect(await writes()).toEqual([]);
	});

	test('a username another hosting account already uses is reported, not imported', async () => {
		const customer = await createCustomer();
		const elsewhere = await registerServer();
		const taken = unique('taken');
		const other = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: elsewhere.id, username: taken } });
		expect(other.status).toBe(201);
		await seed({ username: taken, billing_id: customer.id });
		const result = await importNow({ dry_run: true });
		expect(result.body.data.rows[0]).toMatchObject({ action: 'skip', reason: 'username_taken' });
	});

	test('needs create permission on hosting accounts: an operator may, a read-only user may not, and NextPanel is not asked', async () => {
		const customer = await createCustomer();
		await seed({ username: unique('perm'), billing_id: customer.id });
		const refused = await importNow({}, 'viewer');
		expect(refused.status).toBe(403);
		expect((await control.calls()).calls).toHaveLength(0);
		const allowed = await importNow({}, 'operator');
		expect(allowed.status).toBe(200);
		expect(allowed.body.data.counts.import).toBe(1);
		// Attributed to the operator in Directus's activity, like any item they create.
		const [account] = await accountsOfServer();
		const activity = await api(
			'GET',
			`/activity?filter[item][_eq]=${account!.id}&filter[collection][_eq]=hosting_accounts&fields=action,user.email`,
		);
		expect(activity.body.data).toEqual([expect.objectContaining({ action: 'create', user: { email: 'operator@example.com' } })]);
	});

	test('bad input is a 400 before NextPanel is asked', async () => {
		for (const body of [{ dry_run: 'yes' }, { create_customers: 1 }, { only: ['x'] }, { extra: true }]) {
			const response = await importNow(body);
			expect(response.status, JSON.stringify(body)).toBe(400);
		}
		expect((await api('POST', '/nextpanel/servers/not-a-uuid/import', { body: {} })).status).toBe(400);
		expect((await control.calls()).calls).toHaveLength(0);
	});

	test('more accounts than the capacity is only a warning', async () => {
		await api('PATCH', `/items/nextpanel_servers/${serverId}`, { body: { capacity: 1 } });
		const customer = await createCustomer();
		await seed({ username: unique('capa'), billing_id: customer.id });
		await seed({ username: unique('capb'), billing_id: customer.id });
		const result = await importNow({});
		expect(result.body.data.counts.import).toBe(2);
		expect(result.body.data.warnings.join(' ')).toMatch(/more than its capacity of 1/);
	});
});

describe('GET /nextpanel/servers/:id/drift', () => {
	async function provisioned(): Promise<Record<string, any>> {
		const response = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: serverId } });
		expect(response.status).toBe(201);
		return response.body.data;
	}

	test('reports each kind of difference once, and nothing for accounts in step; it writes nothing', async () => {
		const inStep = await provisioned();
		const deleted = await provisioned();
		const suspendedThere = await provisioned();
		const renamed = await provisioned();
		const stranger = await seed({ username: unique('stranger') });
		await control.deleteAccount(deleted.nextpanel_account_id);
		await control.updateAccount(suspendedThere.nextpanel_account_id, { status: 'suspended' });
		await control.updateAccount(renamed.nextpanel_account_id, { username: unique('renamed') });
		await control.resetCalls();

		const drift = await api('GET', `/nextpanel/servers/${serverId}/drift`);
		expect(drift.status).toBe(200);
		const rows = drift.body.data as Record<string, any>[];
		expect(rows.map((r) => [r.kind, r.hosting_account ?? r.remote_id]).sort()).toEqual(
			[
				['missing_remote', deleted.id],
				['status_differs', suspendedThere.id],
				['identity_differs', renamed.id],
				['unknown_remote', stranger.id],
			].sort(),
		);
		expect(rows.find((r) => r.kind === 'status_differs')).toMatchObject({
			directus_status: 'active',
			nextpanel_status: 'suspended',
			fixes: ['reapply_status', 'accept_remote_status'],
		});
		expect(rows.some((r) => r.hosting_account === inStep.id)).toBe(false);
		expect(await writes()).toEqual([]);
		expect((await control.calls()).calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/v1/billing/accounts']);
	});

	test('each fix brings one row back in step, and none deletes anything on NextPanel', async () => {
		const deleted = await provisioned();
		const suspendedThere = await provisioned();
		const acceptThis = await provisioned();
		const stranger = await seed({ username: unique('adopt'), billing_id: (await createCustomer()).id });
		await control.deleteAccount(deleted.nextpanel_account_id);
		await control.updateAccount(suspendedThere.nextpanel_account_id, { status: 'suspended' });
		await control.updateAccount(acceptThis.nextpanel_account_id, { status: 'suspended' });
		const before = (await control.accounts()).filter((a) => !a.deleted).length;

		expect((await api('POST', `/nextpanel/accounts/${deleted.id}/mark-terminated`, { body: {} })).body.data.status).toBe('terminated');
		expect((await api('POST', `/nextpanel/accounts/${suspendedThere.id}/reapply-status`, { body: {} })).status).toBe(200);
		expect((await control.account(suspendedThere.nextpanel_account_id)).status).toBe('active');
		expect((await api('POST', `/nextpanel/accounts/${acceptThis.id}/accept-remote-status`, { body: {} })).body.data.status).toBe(
			'suspended',
		);
		const adopted = await importNow({ only: [stranger.id] });
		expect(adopted.body.data.counts.import).toBe(1);

		expect((await api('GET', `/nextpanel/servers/${serverId}/drift`)).body.data).toEqual([]);
		expect((await control.accounts()).filter((a) => !a.deleted).length).toBe(before);
		expect((await control.calls({ method: 'DELETE' })).calls).toHaveLength(0);
	});

	test('"Check now" (POST) keeps its result on the server like the schedule; GET never writes', async () => {
		const gone = await provisioned();
		await control.deleteAccount(gone.nextpanel_account_id);
		await api('GET', `/nextpanel/servers/${serverId}/drift`);
		expect((await api('GET', `/items/nextpanel_servers/${serverId}?fields=drift_count`)).body.data.drift_count).toBeNull();
		const started = Date.now();
		const checked = await api('POST', `/nextpanel/servers/${serverId}/drift`, { body: {} });
		expect(checked.status).toBe(200);
		expect(checked.body.data.rows).toEqual([expect.objectContaining({ kind: 'missing_remote', hosting_account: gone.id })]);
		const server = (await api('GET', `/items/nextpanel_servers/${serverId}?fields=drift_count,drift_checked_at`)).body.data;
		expect(server).toEqual({ drift_count: 1, drift_checked_at: expect.any(String) });
		expectRecentTimestamp(checked.body.data.checked_at, started);
		expect(new Date(server.drift_checked_at).getTime()).toBe(new Date(checked.body.data.checked_at).getTime());
	});

	test('marking an account terminated that still exists on NextPanel is refused', async () => {
		const live = await provisioned();
		const response = await api('POST', `/nextpanel/accounts/${live.id}/mark-terminated`, { body: {} });
		expect(response.status).toBe(409);
		expect(errorOf(response).message).toMatch(/use Terminate/);
	});

	test('the drift check needs read access to the server; a user without any policy gets 401 or 403', async () => {
		expect((await api('GET', `/nextpanel/servers/${serverId}/drift`, { as: 'operator' })).status).toBe(200);
		expect((await api('GET', `/nextpanel/servers/${serverId}/drift`, { as: 'public' })).status).toBe(401);
	});

	test('the scheduled check keeps the latest result on the server and notifies administrators of new drift', async () => {
		const gone = await provisioned();
		await control.deleteAccount(gone.nextpanel_account_id);
		const started = Date.now();
		const job = await api('POST', '/nextpanel/jobs/drift');
		expect(job.status).toBe(200);
		const server = (await api('GET', `/items/nextpanel_servers/${serverId}?fields=drift_count,drift_checked_at,drift_report`)).body.data;
		expect(server.drift_count).toBe(1);
		expectRecentTimestamp(server.drift_checked_at, started);
		expect(server.drift_report.rows[0]).toMatchObject({ kind: 'missing_remote', hosting_account: gone.id });
		const notices = await api('GET', `/notifications?filter[item][_eq]=${serverId}&fields=subject,message`);
		expect(notices.body.data).toEqual([expect.objectContaining({ subject: expect.stringMatching(/1 new difference with Directus/) })]);
		// The same drift again is not news.
		await api('POST', '/nextpanel/jobs/drift');
		expect((await api('GET', `/notifications?filter[item][_eq]=${serverId}&fields=id`)).body.data).toHaveLength(1);
	});
});

describe('second round: whole imports, and read access that never writes', () => {
	test('ten concurrent imports with "create customers" make each customer and account once, with no customer left without its account', async () => {
		const emails = Array.from({ length: 4 }, () => `conc-${unique('')}@example.com`);
		for (const email of emails) await seed({ username: unique('conc'), email });
		const results = await Promise.all(Array.from({ length: 10 }, () => importNow({ create_customers: true })));
		// Each import either ran whole or waited for the one before; none failed half-way.
		for (const result of results) expect(result.status, JSON.stringify(result.body)).toBe(200);
		expect(results.reduce((sum, result) => sum + Number(result.body.data.counts.import), 0)).toBe(4);
		const accounts = await accountsOfServer();
		expect(accounts).toHaveLength(4);
		const customers = (await api('GET', `/items/customers?filter[email][_in]=${emails.join(',')}&fields=id,email&limit=-1`)).body.data as {
			id: string;
		}[];
		expect(customers).toHaveLength(4);
		expect(new Set(accounts.map((a) => String(a.customer)))).toEqual(new Set(customers.map((c) => String(c.id))));
	});

	test('a user who may only read servers can check drift but not record it: 403, no report stored, nobody notified', async () => {
		await seed({ username: unique('drift'), email: `drift-${unique('')}@example.com` });
		for (const as of ['viewer', 'public'] as const) {
			const refused = await api('POST', `/nextpanel/servers/${serverId}/drift`, { as, body: {} });
			expect(refused.status, as).toBe(as === 'public' ? 401 : 403);
		}
		expect((await api('GET', `/nextpanel/servers/${serverId}/drift`, { as: 'viewer' })).status).toBe(200);
		const server = (await api('GET', `/items/nextpanel_servers/${serverId}?fields=drift_count,drift_checked_at,drift_report`)).body.data;
		expect(server).toMatchObject({ drift_count: null, drift_checked_at: null, drift_report: null });
		expect((await api('GET', `/notifications?filter[item][_eq]=${serverId}&fields=id`)).body.data).toEqual([]);
		// The administrator may record it.
		expect((await api('POST', `/nextpanel/servers/${serverId}/drift`, { body: {} })).status).toBe(200);
	});

	test("a reader's connection test of a saved server reports the result but does not change what the server records", async () => {
		const before = (await api('GET', `/items/nextpanel_servers/${serverId}?fields=last_check_at,last_check_status`)).body.data;
		const tested = await api('POST', `/nextpanel/servers/${serverId}/test`, { as: 'viewer', body: {} });
		expect(tested.status).toBe(200);
		expect(tested.body.status).toBe('ok');
		await sim.close();
		const down = await api('POST', `/nextpanel/servers/${serverId}/test`, { as: 'viewer', body: {} });
		expect(down.body.status).not.toBe('ok');
		sim = await createSimulator({ port: 0, controlPort: 0, keys: [{ ...key, level: 'SUPER_ADMIN' }] });
		control = new SimulatorControl(sim.controlUrl);
		expect((await api('GET', `/items/nextpanel_servers/${serverId}?fields=last_check_at,last_check_status`)).body.data).toEqual(before);
	});
});
