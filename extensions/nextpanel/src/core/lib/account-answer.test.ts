import type { SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { describe, expect, test } from 'vitest';
import { ACCOUNT_PUBLIC_FIELDS } from '../../shared/account-fields.ts';
import { storedAccountRow } from './account-answer.ts';

const TYPES: Record<string, string> = {
	id: 'uuid',
	customer: 'uuid',
	server: 'uuid',
	package: 'integer',
	nextpanel_account_id: 'integer',
	attempts: 'integer',
	overdue_exempt: 'boolean',
	revealable: 'boolean',
	paid_until: 'date',
	date_created: 'timestamp',
	provisioned_at: 'timestamp',
};
const DEFAULTS: Record<string, unknown> = { status: 'pending', attempts: 0, overdue_exempt: false, revealable: false };

const schema = (types: Record<string, string> = {}) =>
	({
		collections: {
			hosting_accounts: {
				primary: 'id',
				fields: Object.fromEntries(
					ACCOUNT_PUBLIC_FIELDS.map((field) => [
						field,
						{ field, type: types[field] ?? TYPES[field] ?? 'string', defaultValue: DEFAULTS[field] ?? null },
					]),
				),
			},
		},
		relations: [],
	}) as unknown as SchemaOverview;
const knex = (client: string) => ({ client: { config: { client } } }) as unknown as Knex;

const written = {
	id: '6a1e0f38-58f4-4a63-9f0e-3d8c9d0f1a11',
	customer: '0b7d3c1e-2f4a-4e5b-8c6d-7e8f9a0b1c2d',
	server: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
	username: 'ada',
	package: 3,
	status: 'active',
	attempts: 1,
	date_created: '2026-12-07T13:00:00.123Z',
	password_ciphertext: 'sealed',
	lease_owner: null,
};

describe('storedAccountRow', () => {
	test('the public columns: what was written, the column defaults for the rest, nothing else', () => {
		const row = storedAccountRow({ schema: schema(), knex: knex('sqlite3'), written });
		expect(Object.keys(row!)).toEqual([...ACCOUNT_PUBLIC_FIELDS]);
		expect(row).toMatchObject({ username: 'ada', status: 'active', attempts: 1, overdue_exempt: false, paid_until: null });
		expect(row).not.toHaveProperty('password_ciphertext');
		expect(row).not.toHaveProperty('lease_owner');
	});

	test('a customer key written as text comes back as the integer its column stores', () => {
		const row = storedAccountRow({ schema: schema({ customer: 'integer' }), knex: knex('pg'), written: { ...written, customer: '42' } });
		expect(row?.['customer']).toBe(42);
	});

	test.each([
		['a database whose stored values it does not know', schema(), 'mysql', written],
		['a uuid PostgreSQL would give back in lower case', schema(), 'pg', { ...written, customer: written.customer.toUpperCase() }],
		['a bigInteger key (text or number, by driver)', schema({ customer: 'bigInteger' }), 'pg', written],
		['an integer column holding something else', schema(), 'sqlite3', { ...written, package: 'gold' }],
	])('no row for %s: the caller reads it back', (_label, overview, client, values) => {
		expect(storedAccountRow({ schema: overview, knex: knex(client), written: values })).toBeNull();
	});
});
