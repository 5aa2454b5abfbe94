// The control API's account routes: an admin's edits and deletes in NextPanel itself, behind the
// billing system's back. The billing API must show each change; the call log must not.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { accountBody, send, startTestSimulator, SUPER, type RawRequest, type TestSimulator } from './testing.ts';

const ACCOUNTS = '/api/v1/billing/accounts';
let t: TestSimulator;

beforeAll(async () => {
	t = await startTestSimulator();
});
afterAll(() => t.sim.close());
beforeEach(async () => {
	await t.control.reset();
});

const controlRequest = (method: string, path: string, options?: RawRequest) => send(t.sim.controlUrl, method, `/control${path}`, options);
const seed = (username: string, extra: Record<string, unknown> = {}) => t.control.seedAccount({ ...accountBody(username), ...extra });
const apiAccount = (id: number) => t.api('GET', `${ACCOUNTS}/${id}`, { headers: SUPER });
const apiList = async (query = '') => (await t.api('GET', `${ACCOUNTS}${query}`, { headers: SUPER })).json as { id: number }[];

/** Runs `action` and fails if the API port logged a call meanwhile. */
async function withoutCalls<T>(action: () => Promise<T>): Promise<T> {
	const before = t.sim.calls.list().length;
	const result = await action();
	expect(t.sim.calls.list()).toHaveLength(before);
	return result;
}

describe('POST /control/accounts (seeding)', () => {
	test('seeds with exactly the id asked for; the counter then stays above it', async () => {
		const chosen = t.sim.accounts.nextId + 1000;
		const seeded = await withoutCalls(() => seed('chosenid', { id: chosen }));
		expect(seeded.id).toBe(chosen);
		expect((await apiAccount(chosen)).json).toMatchObject({ id: chosen, username: 'chosenid' });
		expect((await t.create('afterchosen')).id).toBe(chosen + 1);
		expect((await seed('nextseeded')).id).toBe(chosen + 2);
	});

	test('an unused id below the counter can be seeded, and does not pull the counter back', async () => {
		const high = await seed('highwater', { id: t.sim.accounts.nextId + 1000 });
		const low = await seed('lowid', { id: high.id - 500 });
		expect(low.id).toBe(high.id - 500);
		expect((await apiAccount(low.id)).json.username).toBe('lowid');
		expect((await t.create('aboveall')).id).toBe(high.id + 1);
	});

	test('409 for an id already used, live or deleted; nothing is created', async () => {
		const live = await seed('liveholder');
		const deleted = await seed('deadholder');
		await t.control.deleteAccount(deleted.id);
		const count = (await t.control.accounts()).length;
		for (const id of [live.id, deleted.id]) {
			const response = await withoutCalls(() => controlRequest('POST', '/accounts', { body: { ...accountBody('idclash'), id } }));
			expect(response).toMatchObject({ status: 409, json: { error: `Account id ${id} is already used` } });
		}
		expect(await t.control.accounts()).toHaveLength(count);
		expect(await apiList('?username=idclash')).toEqual([]);
	});

	test('409 for a username a live account has, even with a fresh id', async () => {
		await seed('takenname');
		const freshId = t.sim.accounts.nextId + 100;
		const response = await controlRequest('POST', '/accounts', { body: { ...accountBody('takenname'), id: freshId } });
		expect(response.status).toBe(409);
		expect(response.json.error).toMatch(/takenname.*taken/);
		expect((await controlRequest('GET', `/accounts/${freshId}`)).status).toBe(404);
	});

	test('seeds a suspended account the billing API reports as suspended and can unsuspend', async () => {
		const { id, status } = await seed('bornsuspended', { status: 'suspended' });
		expect(status).toBe('suspended');
		expect((await apiAccount(id)).json.status).toBe('suspended');
		expect((await t.api('POST', `${ACCOUNTS}/${id}/unsuspend`, { headers: SUPER })).json.status).toBe('active');
	});

	test('created_at sets the age: normalised to UTC, and the stats grow from it', async () => {
		const old = await seed('oldaccount', { created_at: '2020-01-01T02:00:00+02:00' });
		expect(old.created_at).toBe('2020-01-01T00:00:00.000Z');
		expect((await apiAccount(old.id)).json.created_at).toBe('2020-01-01T00:00:00.000Z');
		const fresh = await seed('newaccount');
		const diskOf = async (id: number) => (await t.api('GET', `${ACCOUNTS}/${id}/stats`, { headers: SUPER })).json.disk_used_mb;
		// Years old: grown to the default package's disk limit; new: still near its baseline.
		expect(await diskOf(old.id)).toBe(10240);
		expect(await diskOf(fresh.id)).toBeLessThan(100);
	});

	test.each([
		['a zero id', { id: 0 }, /id/],
		['a negative id', { id: -4 }, /id/],
		['a fractional id', { id: 1.5 }, /id/],
		['an id as a string', { id: '12' }, /id/],
		['an unknown status', { status: 'deleted' }, /status/],
		['a created_at that is not an ISO timestamp', { created_at: 'yesterday' }, /created_at/],
		['a created_at without a time', { created_at: '2020-01-01' }, /created_at/],
	])('400 for %s; nothing is created', async (_name, extra, message) => {
		const count = (await t.control.accounts()).length;
		const response = await withoutCalls(() => controlRequest('POST', '/accounts', { body: { ...accountBody('badseed'), ...extra } }));
		expect(response.status).toBe(400);
		expect(response.json.error).toMatch(message);
		expect(await t.control.accounts()).toHaveLength(count);
	});
});

describe('PATCH /control/accounts/:id', () => {
	test('suspends with a reason; the billing API shows it suspended and can unsuspend it', async () => {
		const { id } = await seed('suspendme');
		const changed = await withoutCalls(() => t.control.updateAccount(id, { status: 'suspended', suspend_reason: 'abuse report' }));
		expect(changed).toMatchObject({ id, status: 'suspended', suspend_reason: 'abuse report', deleted: false });
		expect((await apiAccount(id)).json).toMatchObject({ id, status: 'suspended' });
		expect((await t.api('POST', `${ACCOUNTS}/${id}/suspend`, { headers: SUPER, body: { reason: 'x' } })).json).toEqual({
			detail: 'Account is already suspended',
		});
		expect((await t.api('POST', `${ACCOUNTS}/${id}/unsuspend`, { headers: SUPER })).status).toBe(200);
	});

	test('reactivating clears the suspend reason, as unsuspend does', async () => {
		const { id } = await seed('reactivate');
		await t.api('POST', `${ACCOUNTS}/${id}/suspend`, { headers: SUPER, body: { reason: 'unpaid' } });
		const changed = await withoutCalls(() => t.control.updateAccount(id, { status: 'active' }));
		expect(changed).toMatchObject({ status: 'active', suspend_reason: null });
		expect((await apiAccount(id)).json.status).toBe('active');
	});

	test('a suspended account keeps its reason unless a new one is given', async () => {
		const { id } = await seed('keepreason');
		await t.control.updateAccount(id, { status: 'suspended', suspend_reason: 'first' });
		expect(await t.control.updateAccount(id, { full_name: 'Other Name' })).toMatchObject({ status: 'suspended', suspend_reason: 'first' });
		expect(await t.control.updateAccount(id, { suspend_reason: null })).toMatchObject({ status: 'suspended', suspend_reason: null });
	});

	test('a renamed account is found by its new username only, and the old one is free', async () => {
		const { id } = await seed('oldname');
		await withoutCalls(() => t.control.updateAccount(id, { username: 'newname' }));
		expect((await apiAccount(id)).json.username).toBe('newname');
		expect(await apiList('?username=oldname')).toEqual([]);
		expect((await apiList('?username=newname')).map((account) => account.id)).toEqual([id]);
		const reused = await t.create('oldname');
		expect(reused.id).toBeGreaterThan(id);
		expect((await t.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody('newname') })).json).toEqual({
			detail: 'Username already exists',
		});
	});

	test('email, billing_id, package_id and full_name change as the billing API then reports them', async () => {
		const { id } = await seed('manyfields', { package_id: 1 });
		const changed = await t.control.updateAccount(id, {
			email: 'Moved@Example.COM',
			billing_id: null,
			package_id: 3,
			full_name: 'Renamed Person',
		});
		expect(changed).toMatchObject({ email: 'Moved@example.com', billing_id: null, package_id: 3, full_name: 'Renamed Person' });
		expect((await apiAccount(id)).json).toMatchObject({
			email: 'Moved@example.com',
			billing_id: null,
			package_id: 3,
			full_name: 'Renamed Person',
		});
		expect(await apiList('?billing_id=cust-manyfields')).toEqual([]);
		// The package decides the limits the stats report.
		expect((await t.api('GET', `${ACCOUNTS}/${id}/stats`, { headers: SUPER })).json.disk_limit_mb).toBe(20480);
		await t.control.updateAccount(id, { billing_id: 'moved-customer' });
		expect((await apiList('?billing_id=moved-customer')).map((account) => account.id)).toEqual([id]);
	});

	test('renaming to its own username, or to a deleted account’s, is allowed', async () => {
		const { id } = await seed('samename');
		const gone = await seed('gonename');
		await t.control.deleteAccount(gone.id);
		expect((await t.control.updateAccount(id, { username: 'samename' })).username).toBe('samename');
		expect((await t.control.updateAccount(id, { username: 'gonename' })).username).toBe('gonename');
	});

	test('409 when another live account has the username; nothing in the patch is applied', async () => {
		const { id } = await seed('firstuser');
		await seed('seconduser');
		const response = await withoutCalls(() =>
			controlRequest('PATCH', `/accounts/${id}`, { body: { username: 'seconduser', status: 'suspended' } }),
		);
		expect(response.status).toBe(409);
		expect(response.json.error).toMatch(/seconduser.*taken/);
		expect(await t.control.account(id)).toMatchObject({ username: 'firstuser', status: 'active' });
		await expect(t.control.updateAccount(id, { username: 'seconduser' })).rejects.toThrow(/409/);
	});

	test.each([
		['an unknown field', { password: 'new-password' }, /password/],
		['no field at all', {}, /at least one field/],
		['an unknown status', { status: 'terminated' }, /status/],
		['a username the API would refuse', { username: 'Bad-Name' }, /must match.*at username/s],
		['a reserved username', { username: 'root' }, /is reserved.*at username/s],
		['an invalid email', { email: 'nobody@' }, /not a valid email address.*at email/s],
		['a fractional package_id', { package_id: 1.5 }, /package_id/],
		['a package_id as a string', { package_id: '7' }, /package_id/],
		['a numeric billing_id', { billing_id: 42 }, /billing_id/],
		['a null status', { status: null }, /status/],
		['a suspend reason on an active account', { suspend_reason: 'why' }, /suspend_reason only applies to a suspended account/],
		['an array body', [{ status: 'suspended' }], /Invalid account change/],
	])('400 for %s, and the account is unchanged', async (_name, body, message) => {
		const { id } = await seed('unchanged');
		const before = await t.control.account(id);
		const response = await withoutCalls(() => controlRequest('PATCH', `/accounts/${id}`, { body }));
		expect(response.status).toBe(400);
		expect(response.json.error).toMatch(message);
		expect(await t.control.account(id)).toEqual(before);
	});

	test('400 for a body that is not JSON', async () => {
		const { id } = await seed('notjson');
		const response = await controlRequest('PATCH', `/accounts/${id}`, { raw: '{status:', headers: { 'content-type': 'application/json' } });
		expect(response).toMatchObject({ status: 400, json: { error: 'The body is not valid JSON' } });
	});

	test('404 for an id never used, and for a deleted account', async () => {
		const unknown = await controlRequest('PATCH', '/accounts/987654', { body: { status: 'suspended' } });
		expect(unknown).toMatchObject({ status: 404, json: { error: 'No account with id 987654' } });
		const { id } = await seed('deletedpatch');
		await t.control.deleteAccount(id);
		const deleted = await controlRequest('PATCH', `/accounts/${id}`, { body: { status: 'suspended' } });
		expect(deleted).toMatchObject({ status: 404, json: { error: `Account ${id} is deleted` } });
		expect((await t.control.account(id)).status).toBe('active');
	});
});

describe('DELETE /control/accounts/:id', () => {
	test('the billing API answers 404 for it, the username is free, the control API still shows it', async () => {
		const { id } = await seed('admindeleted');
		const deleted = await withoutCalls(() => t.control.deleteAccount(id));
		expect(deleted).toMatchObject({ id, username: 'admindeleted', deleted: true });
		expect(Date.parse(deleted.deleted_at ?? '')).not.toBeNaN();
		expect(await apiAccount(id)).toMatchObject({ status: 404, json: { detail: 'Account not found' } });
		expect((await t.api('DELETE', `${ACCOUNTS}/${id}`, { headers: SUPER })).status).toBe(404);
		expect((await t.api('GET', `${ACCOUNTS}/${id}/stats`, { headers: SUPER })).status).toBe(404);
		expect(await apiList('?username=admindeleted')).toEqual([]);
		expect((await t.control.account(id)).deleted).toBe(true);
		expect((await t.control.accounts()).map((account) => account.id)).toContain(id);
		const again = await t.create('admindeleted');
		expect(again.id).toBeGreaterThan(id);
	});

	test('404 for an id never used, and for an account already deleted', async () => {
		expect(await controlRequest('DELETE', '/accounts/987654')).toMatchObject({ status: 404, json: { error: 'No account with id 987654' } });
		const { id } = await seed('twicedeleted');
		await t.control.deleteAccount(id);
		const second = await controlRequest('DELETE', `/accounts/${id}`);
		expect(second).toMatchObject({ status: 404, json: { error: `Account ${id} is deleted` } });
		await expect(t.control.deleteAccount(id)).rejects.toThrow(/404/);
	});
});

describe('admin changes and the state file', () => {
	test('an explicit id, an edit and a delete survive a restart, and so does the counter', async () => {
		const stateFile = join(mkdtempSync(join(tmpdir(), 'nextpanel-sim-')), 'state.json');
		const first = await startTestSimulator({ stateFile });
		const kept = await first.control.seedAccount({ ...accountBody('editedkept'), id: 300 });
		const gone = await first.control.seedAccount(accountBody('deletedgone'));
		await first.control.updateAccount(kept.id, { username: 'editednow', status: 'suspended', suspend_reason: 'chargeback' });
		await first.control.deleteAccount(gone.id);
		await first.sim.close();
		const second = await startTestSimulator({ stateFile });
		try {
			expect(await second.control.account(kept.id)).toMatchObject({
				username: 'editednow',
				status: 'suspended',
				suspend_reason: 'chargeback',
			});
			expect((await second.api('GET', `${ACCOUNTS}/${gone.id}`, { headers: SUPER })).status).toBe(404);
			// The reloaded accounts hold their usernames; a deleted one's stays free.
			expect((await second.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody('editednow') })).json).toEqual({
				detail: 'Username already exists',
			});
			expect((await second.api('GET', `${ACCOUNTS}?username=editednow`, { headers: SUPER })).json).toMatchObject([{ id: 300 }]);
			// The counter went above the explicit id 300, and stays there after a restart.
			expect((await second.create('deletedgone')).id).toBe(gone.id + 1);
			expect(gone.id).toBe(301);
		} finally {
			await second.sim.close();
		}
	});
});
