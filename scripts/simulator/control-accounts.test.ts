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

describe('POST /control/accounts/bulk', () => {
	test('defaults: user00001... at example.com, active, no billing id, no password; no calls logged', async () => {
		const firstId = t.sim.accounts.nextId;
		const result = await withoutCalls(() => t.control.seedBulk({ count: 3 }));
		expect(result).toEqual({ count: 3, first_id: firstId, last_id: firstId + 2 });
		const listed = (await apiList()) as Record<string, unknown>[];
		expect(listed).toHaveLength(3);
		expect(listed[0]).toMatchObject({
			id: firstId,
			username: 'user00001',
			email: 'user00001@example.com',
			full_name: 'User 00001',
			status: 'active',
			billing_id: null,
			package_id: null,
			is_admin: false,
		});
		expect(listed.map((account) => account['username'])).toEqual(['user00001', 'user00002', 'user00003']);
		expect(listed.map((account) => account['id'])).toEqual([firstId, firstId + 1, firstId + 2]);
		expect(await t.control.verifyPassword(firstId, 'Sup3r-Secret-Pass')).toBe(false);
	});

	test('prefix, start, billing ids, e-mail domain and package as asked', async () => {
		const { first_id: firstId } = await t.control.seedBulk({
			count: 4,
			prefix: 'load',
			start: 42,
			billing_id_prefix: 'cust-',
			email_domain: 'Example.ORG',
			package_id: 2,
		});
		const last = (await apiAccount(firstId + 3)).json;
		expect(last).toMatchObject({
			username: 'load00045',
			email: 'load00045@example.org',
			full_name: 'User 00045',
			billing_id: 'cust-45',
			package_id: 2,
		});
		expect((await apiList('?billing_id=cust-42')).map((account) => account.id)).toEqual([firstId]);
		expect((await t.api('GET', `${ACCOUNTS}/${firstId}/stats`, { headers: SUPER })).json.disk_limit_mb).toBe(5120);
	});

	test('every Nth account of the batch is suspended', async () => {
		const { first_id: firstId } = await t.control.seedBulk({ count: 10, suspended_every: 3 });
		const statuses = ((await apiList()) as { id: number; status: string }[]).map((account) => [account.id - firstId + 1, account.status]);
		expect(statuses.filter(([, status]) => status === 'suspended').map(([position]) => position)).toEqual([3, 6, 9]);
		expect(statuses.filter(([, status]) => status === 'active')).toHaveLength(7);
		const third = firstId + 2;
		expect((await t.api('POST', `${ACCOUNTS}/${third}/unsuspend`, { headers: SUPER })).json.status).toBe('active');
	});

	test('ids come from the counter, which then continues after the last', async () => {
		const before = await t.create('beforebulk');
		const result = await t.control.seedBulk({ count: 5, prefix: 'mid' });
		expect(result.first_id).toBe(before.id + 1);
		expect(result.last_id).toBe(before.id + 5);
		expect((await t.create('afterbulk')).id).toBe(result.last_id + 1);
	});

	test('10,000 accounts: all listed by the billing API, names unique, usernames taken', async () => {
		const result = await t.control.seedBulk({ count: 10_000, billing_id_prefix: 'c', suspended_every: 100 });
		expect(result.count).toBe(10_000);
		expect(result.last_id - result.first_id).toBe(9_999);
		const listed = (await apiList()) as { id: number; username: string; status: string }[];
		expect(listed).toHaveLength(10_000);
		expect(new Set(listed.map((account) => account.username)).size).toBe(10_000);
		expect(listed.at(-1)).toMatchObject({ id: result.last_id, username: 'user10000' });
		expect(listed.filter((account) => account.status === 'suspended')).toHaveLength(100);
		expect((await apiAccount(result.first_id + 4_999)).json.username).toBe('user05000');
		expect((await t.api('POST', ACCOUNTS, { headers: SUPER, body: accountBody('user07777') })).json).toEqual({
			detail: 'Username already exists',
		});
	});

	test('numbers past five digits grow the username', async () => {
		const { first_id: firstId } = await t.control.seedBulk({ count: 2, start: 99_999 });
		expect((await apiAccount(firstId + 1)).json).toMatchObject({ username: 'user100000', full_name: 'User 100000' });
	});

	test('409 when a username in the batch is taken; nothing is seeded', async () => {
		await seed('user00003');
		const count = (await t.control.accounts()).length;
		const response = await withoutCalls(() => controlRequest('POST', '/accounts/bulk', { body: { count: 5 } }));
		expect(response.status).toBe(409);
		expect(response.json.error).toMatch(/user00003/);
		expect(await t.control.accounts()).toHaveLength(count);
		await expect(t.control.seedBulk({ count: 5 })).rejects.toThrow(/409/);
	});

	test('bad input is a 400 even when a username also clashes', async () => {
		await seed('user00001');
		const response = await controlRequest('POST', '/accounts/bulk', { body: { count: 2, email_domain: 'example.test' } });
		expect(response.status).toBe(400);
		expect(response.json.error).toMatch(/email_domain/);
	});

	test.each([
		['no count', {}, /count/],
		['a zero count', { count: 0 }, /count/],
		['a count over 100,000', { count: 100_001 }, /count/],
		['a fractional count', { count: 2.5 }, /count/],
		['an uppercase prefix', { count: 1, prefix: 'User' }, /prefix/],
		['a prefix starting with a digit', { count: 1, prefix: '9user' }, /prefix/],
		['a prefix making usernames too long', { count: 1, prefix: 'a'.repeat(28) }, /over 32 characters/],
		['a negative start', { count: 1, start: -1 }, /start/],
		['a numeric billing_id_prefix', { count: 1, billing_id_prefix: 7 }, /billing_id_prefix/],
		['an e-mail domain no address can have', { count: 1, email_domain: 'no-dot' }, /email_domain no-dot/],
		['a special-use e-mail domain', { count: 1, email_domain: 'example.test' }, /email_domain example.test/],
		['a negative suspended_every', { count: 1, suspended_every: -2 }, /suspended_every/],
		['a package_id as a string', { count: 1, package_id: '2' }, /package_id/],
		['an unknown field', { count: 1, password: 'shared-password' }, /password/],
	])('400 for %s; nothing is seeded', async (_name, body, message) => {
		const count = (await t.control.accounts()).length;
		const response = await withoutCalls(() => controlRequest('POST', '/accounts/bulk', { body }));
		expect(response.status).toBe(400);
		expect(response.json.error).toMatch(message);
		expect(await t.control.accounts()).toHaveLength(count);
	});
});

describe('admin changes and the state file', () => {
	test('an explicit id, an edit, a delete and a bulk seed survive a restart, and so does the counter', async () => {
		const stateFile = join(mkdtempSync(join(tmpdir(), 'nextpanel-sim-')), 'state.json');
		const first = await startTestSimulator({ stateFile });
		const kept = await first.control.seedAccount({ ...accountBody('editedkept'), id: 300 });
		const gone = await first.control.seedAccount(accountBody('deletedgone'));
		await first.control.updateAccount(kept.id, { username: 'editednow', status: 'suspended', suspend_reason: 'chargeback' });
		await first.control.deleteAccount(gone.id);
		const bulk = await first.control.seedBulk({ count: 3, prefix: 'kept', suspended_every: 2 });
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
			expect(await second.control.account(bulk.first_id + 1)).toMatchObject({ username: 'kept00002', status: 'suspended' });
			expect(await second.control.verifyPassword(bulk.first_id, 'anything')).toBe(false);
			// The counter went above the explicit id 300, and stays there after a restart.
			expect(gone.id).toBe(301);
			expect((await second.create('deletedgone')).id).toBe(bulk.last_id + 1);
		} finally {
			await second.sim.close();
		}
	});
});
