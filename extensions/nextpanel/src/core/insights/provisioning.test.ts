import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bucketRange } from './buckets.ts';
import { bucketIndexSql, provisioningBuckets } from './provisioning.ts';

describe('bucketIndexSql', () => {
	// Evaluates the nested CASE the way the database does, to check that each value lands in its bucket.
	const evaluate = (sql: string, bindings: unknown[], value: number): number => {
		let at = 0;
		const parse = (): number => {
			const match = /^CASE WHEN x < \? THEN /.exec(sql.slice(at));
			if (!match) {
				const number = /^\d+/.exec(sql.slice(at))![0];
				at += number.length;
				return Number(number);
			}
			at += match[0].length;
			const edge = bindings.shift() as number;
			const low = parse();
			at += ' ELSE '.length;
			const high = parse();
			at += ' END'.length;
			return value < edge ? low : high;
		};
		return parse();
	};

	test.each([1, 2, 3, 7, 30, 366])('%i buckets: every value finds its bucket in about log2 comparisons', (count) => {
		const starts = Array.from({ length: count }, (_, i) => i * 10);
		const { sql, bindings } = bucketIndexSql('x', starts);
		expect(bindings).toHaveLength(count - 1);
		expect(sql.split('CASE').length - 1).toBe(count - 1);
		for (let i = 0; i < count; i++) {
			for (const value of [i * 10, i * 10 + 9]) expect(evaluate(sql, [...bindings], value)).toBe(i);
		}
	});
});

describe('provisioningBuckets on SQLite', () => {
	let db: Knex;
	beforeAll(async () => {
		db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
		await db.schema.createTable('nextpanel_logs', (t) => {
			t.increments('id');
			t.dateTime('date_created');
			t.string('action');
			t.string('server');
			t.string('hosting_account');
			t.string('outcome');
		});
		const row = (at: string, action: string, outcome: string, account: string | null, server = 's1') => ({
			date_created: String(Date.parse(at)),
			action,
			outcome,
			hosting_account: account,
			server,
		});
		await db('nextpanel_logs').insert([
			row('2025-01-01T00:00:00Z', 'create_account', 'error', 'a'),
			row('2025-01-01T23:59:59Z', 'create_account', 'ok', 'a'),
			row('2025-01-02T12:00:00Z', 'get_stats', 'ok', 'a'),
			row('2025-01-03T00:00:00Z', 'delete_account', 'ok', 'a'),
			row('2025-01-03T01:00:00Z', 'delete_account', 'error', 'a'),
			row('2025-01-03T02:00:00Z', 'create_account', 'ok', null),
			row('2025-01-03T03:00:00Z', 'create_account', 'ok', 'b', 's2'),
			row('2025-01-04T00:00:00Z', 'create_account', 'ok', 'c'),
		]);
	});
	afterAll(() => db.destroy());

	const counts = (rows: { date: string; created: number; failed: number; retried: number; terminated: number }[]) =>
		rows.map((r) => [r.date, r.created, r.failed, r.retried, r.terminated]);

	test('each row in its day, the ends included, the day after the range left out, empty days as zeros', async () => {
		const { buckets } = bucketRange({ from: '2025-01-01', to: '2025-01-03', interval: 'day' }, 'UTC');
		expect(counts(await provisioningBuckets(db, { buckets }))).toEqual([
			['2025-01-01', 1, 1, 1, 0],
			['2025-01-02', 0, 0, 0, 0],
			['2025-01-03', 2, 0, 0, 1],
		]);
	});

	test('one server only', async () => {
		const { buckets } = bucketRange({ from: '2025-01-03', to: '2025-01-03', interval: 'day' }, 'UTC');
		expect(counts(await provisioningBuckets(db, { buckets, server: 's2' }))).toEqual([['2025-01-03', 1, 0, 0, 0]]);
	});

	test('a zone east of UTC moves the late rows to the next day', async () => {
		const { buckets } = bucketRange({ from: '2025-01-01', to: '2025-01-02', interval: 'day' }, 'Europe/Berlin');
		// 2025-01-01T00:00Z is 01:00 in Berlin (Jan 1); 23:59:59Z is Jan 2 there.
		expect(counts(await provisioningBuckets(db, { buckets }))).toEqual([
			['2025-01-01', 0, 1, 0, 0],
			['2025-01-02', 1, 0, 1, 0],
		]);
	});
});
