import knex from 'knex';
import { describe, expect, test } from 'vitest';
import { dueUsageAccounts, parseDuration, planUsageBatch, schedulePeriodMs } from './usage-due.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('planUsageBatch', () => {
	test.each([
		// liveCount, periodMs, maxAgeMs, rate, limit, dueAfterMs
		['no accounts', 0, 15 * MIN, 6 * HOUR, undefined, 0, 6 * HOUR - 15 * MIN],
		['one account never synced', 1, 15 * MIN, 6 * HOUR, undefined, 1, 6 * HOUR - 15 * MIN],
		['a small fleet rounds up to one a run', 5, 15 * MIN, 6 * HOUR, undefined, 1, 6 * HOUR - 15 * MIN],
		['24 accounts, 24 runs per MAX_AGE: one a run', 24, 15 * MIN, 6 * HOUR, undefined, 1, 6 * HOUR - 15 * MIN],
		['25 accounts: two a run', 25, 15 * MIN, 6 * HOUR, undefined, 2, 6 * HOUR - 15 * MIN],
		['10,000 accounts: N * P / MAX_AGE rounded up', 10_000, 15 * MIN, 6 * HOUR, 2, 417, 6 * HOUR - 15 * MIN],
		['MAX_AGE equal to the period: everything, every run', 300, 15 * MIN, 15 * MIN, undefined, 300, 0],
		['MAX_AGE shorter than the period: still everything, once', 300, 15 * MIN, 5 * MIN, undefined, 300, 0],
		['the rate caps a batch one run cannot send', 10_000, 15 * MIN, 15 * MIN, 2, 1440, 0],
		['a zero period plans nothing', 10, 0, 6 * HOUR, undefined, 0, 6 * HOUR],
		['a zero MAX_AGE plans nothing', 10, 15 * MIN, 0, undefined, 0, 0],
	])('%s', (_name, liveCount, periodMs, maxAgeMs, ratePerSecond, limit, dueAfterMs) => {
		const plan = planUsageBatch({ liveCount, periodMs, maxAgeMs, ratePerSecond });
		expect(plan.limit).toBe(limit);
		expect(plan.dueAfterMs).toBe(dueAfterMs);
		expect(plan.limitedByRate).toBe(plan.limit < plan.wanted);
	});

	test('the rate cap is reported, and never plans less than one call', () => {
		expect(planUsageBatch({ liveCount: 10_000, periodMs: 15 * MIN, maxAgeMs: 15 * MIN, ratePerSecond: 2 })).toMatchObject({
			limit: 1440,
			wanted: 10_000,
			limitedByRate: true,
		});
		expect(planUsageBatch({ liveCount: 10, periodMs: 1000, maxAgeMs: 1000, ratePerSecond: 0.01 }).limit).toBe(1);
	});

	test('over MAX_AGE / P runs the batches cover the whole fleet', () => {
		for (const liveCount of [1, 7, 24, 25, 999, 10_000]) {
			const { limit } = planUsageBatch({ liveCount, periodMs: 15 * MIN, maxAgeMs: 6 * HOUR });
			expect(limit * 24).toBeGreaterThanOrEqual(liveCount);
			expect((limit - 1) * 24).toBeLessThan(liveCount);
		}
	});
});

describe('parseDuration', () => {
	test.each([
		[21_600_000, 21_600_000],
		['21600000', 21_600_000],
		['6h', 6 * HOUR],
		['30m', 30 * MIN],
		['1h30m', 90 * MIN],
		['90s', 90_000],
		['1d', 24 * HOUR],
		['250ms', 250],
		[' 2H ', 2 * HOUR],
		['six hours', Number.NaN],
		['6x', Number.NaN],
		['h', Number.NaN],
		[true, Number.NaN],
	])('%j -> %d', (value, ms) => {
		expect(parseDuration(value)).toBe(ms);
	});
});

describe('schedulePeriodMs', () => {
	test.each([
		['0 */15 * * * *', 15 * MIN],
		['*/20 * * * * *', 20_000],
		['0 0 * * * *', HOUR],
		['0 0,30 * * * *', 30 * MIN],
		['0 0 */6 * * *', 6 * HOUR],
		['0 0 9-17 * * *', 16 * HOUR],
		['*/15 * * * *', 15 * MIN],
		['0 0 0 * * 1', 24 * HOUR],
		['not a cron', 24 * HOUR],
	])('%s -> %d ms', (cron, ms) => {
		expect(schedulePeriodMs(cron)).toBe(ms);
	});
});

describe('dueUsageAccounts', () => {
	test('never-synced first, then the oldest figures, whatever the ids; fresh ones and other servers are left', async () => {
		const db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
		try {
			await db.schema.createTable('hosting_accounts', (t) => {
				t.integer('id').primary();
				t.string('server');
				t.string('status');
				t.integer('nextpanel_account_id');
				t.dateTime('usage_synced_at').nullable();
			});
			const row = (id: number, synced: number | null, fields: Record<string, unknown> = {}) => ({
				id,
				server: 's1',
				status: 'active',
				nextpanel_account_id: id,
				usage_synced_at: synced,
				...fields,
			});
			await db('hosting_accounts').insert([
				row(1, 9 * HOUR), // fresh
				row(2, 2 * HOUR),
				row(3, 1 * HOUR), // oldest
				row(4, null), // never synced
				row(5, null, { server: 's2' }),
				row(6, null, { status: 'terminated' }),
				row(7, 3 * HOUR),
			]);
			const due = (limit: number) => dueUsageAccounts(db, { serverId: 's1', nowMs: 10 * HOUR, dueAfterMs: 5 * HOUR, limit });
			expect(await due(10)).toEqual(['4', '3', '2', '7']);
			expect(await due(2)).toEqual(['4', '3']);
			expect(await due(0)).toEqual([]);
		} finally {
			await db.destroy();
		}
	});
});
