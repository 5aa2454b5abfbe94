import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { NextPanelAccount } from '../nextpanel/contract.ts';
import { planImport } from './account-import.ts';
import type { CustomerMapping } from './customers.ts';

let db: Knex;
const SERVER = 'server-1';
const mapping: CustomerMapping = {
	collection: 'clients',
	primary: 'id',
	primaryType: 'integer',
	nameField: 'name',
	emailField: 'mail',
	phoneField: null,
	companyField: null,
};

beforeAll(async () => {
	db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
	await db.schema.createTable('clients', (t) => {
		t.increments('id');
		t.string('name');
		t.string('mail');
	});
	await db.schema.createTable('hosting_accounts', (t) => {
		t.string('id');
		t.string('server');
		t.string('username');
		t.string('status');
		t.integer('nextpanel_account_id');
	});
	await db('clients').insert([
		{ id: 1, name: 'Ada', mail: 'ada@example.com' },
		{ id: 2, name: 'Twin one', mail: 'twin@example.com' },
		{ id: 3, name: 'Twin two', mail: 'TWIN@example.com' },
	]);
	await db('hosting_accounts').insert([
		{ id: 'h1', server: SERVER, username: 'linked', status: 'active', nextpanel_account_id: 10 },
		{ id: 'h2', server: 'other', username: 'elsewhere', status: 'terminated', nextpanel_account_id: 99 },
	]);
});

afterAll(() => db.destroy());

const remote = (id: number, fields: Partial<NextPanelAccount> = {}): NextPanelAccount => ({
	id,
	username: `user${id}`,
	email: `user${id}@example.com`,
	status: 'active',
	billing_id: null,
	...fields,
});

async function plan(accounts: NextPanelAccount[], options: { createCustomers?: boolean; only?: number[]; capacity?: number } = {}) {
	return planImport({
		knex: db,
		mapping,
		serverId: SERVER,
		inputs: {
			remote: accounts,
			createCustomers: options.createCustomers ?? false,
			only: options.only,
			capacity: options.capacity ?? 100,
			serverName: 'Panel',
		},
	});
}

describe('planImport', () => {
	test.each([
		[
			'a billing id that is a customer',
			remote(1, { billing_id: '1', email: 'someone@example.com' }),
			{ action: 'import', match: 'billing_id', customer: '1' },
		],
		['an e-mail in another case', remote(2, { email: 'ADA@Example.com' }), { action: 'import', match: 'email', customer: '1' }],
		[
			'a billing id that is no customer, then the e-mail',
			remote(3, { billing_id: '777', email: 'ada@example.com' }),
			{ match: 'email', customer: '1' },
		],
		[
			'a billing id that is not even a key of this collection',
			remote(4, { billing_id: 'abc', email: 'ada@example.com' }),
			{ match: 'email' },
		],
		['two customers with the e-mail', remote(5, { email: 'twin@example.com' }), { action: 'skip', reason: 'ambiguous_email' }],
		['no e-mail and no customer billing id', remote(6, { email: null }), { action: 'skip', reason: 'no_email' }],
		['an empty e-mail', remote(7, { email: '  ' }), { action: 'skip', reason: 'no_email' }],
		['no matching customer', remote(8, { email: 'new@example.com' }), { action: 'skip', reason: 'no_customer' }],
		[
			'a username another hosting account uses (even terminated)',
			remote(9, { username: 'elsewhere', billing_id: '1' }),
			{ action: 'skip', reason: 'username_taken' },
		],
		[
			'a status a hosting account cannot take',
			remote(11, { status: 'pending', billing_id: '1' }),
			{ action: 'skip', reason: 'unsupported_status' },
		],
	])('%s', async (_label, account, expected) => {
		const { rows } = await plan([account]);
		expect(rows).toEqual([expect.objectContaining(expected)]);
		expect(rows[0]!.detail.length).toBeGreaterThan(10);
	});

	// A row the apply could not store is skipped by the plan itself, with its reason, so the dry
	// run and the apply (which runs the same plan in its transaction) agree and the rest goes in.
	test.each([
		['a username the field refuses', remote(20, { username: 'Bad User!', billing_id: '1' }), 'invalid_username'],
		['a 100 kB username', remote(21, { username: 'a'.repeat(100_000), billing_id: '1' }), 'invalid_username'],
		['an e-mail that is no address', remote(22, { email: 'not an address' }), 'invalid_email'],
		['a billing id longer than the field', remote(23, { billing_id: '9'.repeat(5_000), email: 'ada@example.com' }), 'invalid_billing_id'],
	])('%s is skipped with its reason and the others still import', async (_label, hostile, reason) => {
		const { rows } = await plan([hostile, remote(30, { billing_id: '1' })]);
		expect(rows.map((r) => [r.remote_id, r.action, r.reason])).toEqual([
			[hostile.id, 'skip', reason],
			[30, 'import', null],
		]);
		// Reports quote a short prefix of remote text, never all of it.
		expect(JSON.stringify(rows[0]).length).toBeLessThan(1_000);
	});

	test('an id or a username listed twice is skipped on every listing, never imported half', async () => {
		const { rows } = await plan([
			remote(40, { username: 'twice1', billing_id: '1' }),
			remote(40, { username: 'twice2', billing_id: '1' }),
			remote(41, { username: 'samename', billing_id: '1' }),
			remote(42, { username: 'samename', billing_id: '1' }),
			remote(43, { billing_id: '1' }),
		]);
		expect(rows.map((r) => [r.remote_id, r.action, r.reason]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
			[40, 'skip', 'duplicate_remote'],
			[40, 'skip', 'duplicate_remote'],
			[41, 'skip', 'duplicate_remote'],
			[42, 'skip', 'duplicate_remote'],
			[43, 'import', null],
		]);
	});

	test('an account the server already links is not planned again', async () => {
		const result = await plan([remote(10, { username: 'linked', billing_id: '1' }), remote(12, { billing_id: '1' })]);
		expect(result).toMatchObject({ remote_total: 2, already_linked: 1 });
		expect(result.rows.map((r) => r.remote_id)).toEqual([12]);
	});

	test('with "create customers", an account nobody matches gets a new customer', async () => {
		const { rows } = await plan([remote(13, { email: 'new@example.com' })], { createCustomers: true });
		expect(rows[0]).toMatchObject({ action: 'import', match: 'new_customer', customer: null });
	});

	test('"only" limits the plan to those NextPanel ids', async () => {
		const { rows } = await plan([remote(14, { billing_id: '1' }), remote(15, { billing_id: '1' })], { only: [15] });
		expect(rows.map((r) => r.remote_id)).toEqual([15]);
	});

	test('going over the capacity is a warning, never a refusal', async () => {
		const result = await plan([remote(16, { billing_id: '1' }), remote(17, { billing_id: '1' })], { capacity: 2 });
		expect(result.rows.map((r) => [r.remote_id, r.action])).toEqual([
			[16, 'import'],
			[17, 'import'],
		]);
		expect(result.warnings).toEqual([expect.stringMatching(/holds 3 accounts, more than its capacity of 2/)]);
	});
});
