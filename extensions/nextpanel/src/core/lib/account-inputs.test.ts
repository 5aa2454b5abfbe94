import knex, { type Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { uniqueUsername } from './account-inputs.ts';

let db: Knex;

beforeEach(async () => {
	db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
	await db.schema.createTable('hosting_accounts', (table) => {
		table.increments('id');
		table.string('username').unique();
	});
});

afterEach(async () => {
	await db.destroy();
});

const taken = (...usernames: string[]) => db('hosting_accounts').insert(usernames.map((username) => ({ username })));
const jane = { name: 'Jane Doe', email: 'jane@example.com' };

describe('uniqueUsername', () => {
	test('the derived name when it is free', async () => {
		expect(await uniqueUsername(db, jane)).toBe('janedoe');
	});

	test('the first free numbered variant, skipping names that only share the prefix', async () => {
		await taken('janedoe', 'janedoe2', 'janedoe3', 'janedoex', 'janedoe_');
		expect(await uniqueUsername(db, jane)).toBe('janedoe4');
	});

	test('a gap in the numbering is reused', async () => {
		await taken('janedoe', 'janedoe3');
		expect(await uniqueUsername(db, jane)).toBe('janedoe2');
	});

	test('looks past the first batch of candidates', async () => {
		await taken('janedoe', ...Array.from({ length: 45 }, (_, i) => `janedoe${i + 2}`));
		expect(await uniqueUsername(db, jane)).toBe('janedoe47');
	});

	test('a long name keeps the number inside the 32-character limit', async () => {
		const long = { name: 'A'.repeat(40), email: null };
		const first = await uniqueUsername(db, long);
		await taken(first);
		const second = await uniqueUsername(db, long);
		expect(second).not.toBe(first);
		expect(second.length).toBeLessThanOrEqual(32);
		expect(second.endsWith('2')).toBe(true);
	});
});
