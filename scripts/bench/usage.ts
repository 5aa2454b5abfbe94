// `npm run bench -- usage`: what the usage job asks of one NextPanel server holding 10,000 live
// accounts, before (every account on every run) and after (each account due by the age of its
// last sync, at most NEXTPANEL_USAGE_RATE_PER_SECOND calls a second). The selection runs the
// bundle's own planner and due-account query against a database table, over a simulated day of
// runs; the calls a run makes are the accounts it selects.
import knex from 'knex';
import { dueUsageAccounts, planUsageBatch } from '#nextpanel';
import type { Result } from './measurements.ts';

const HOUR = 3_600_000;

export async function usageLoad(
	accounts = 10_000,
	options: { periodMs?: number; maxAgeMs?: number; ratePerSecond?: number } = {},
): Promise<Result> {
	const periodMs = options.periodMs ?? 15 * 60_000;
	const maxAgeMs = options.maxAgeMs ?? 6 * HOUR;
	const ratePerSecond = options.ratePerSecond ?? 2;
	const db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
	try {
		await db.schema.createTable('hosting_accounts', (t) => {
			t.integer('id').primary();
			t.string('server');
			t.string('status');
			t.integer('nextpanel_account_id');
			// `datetime` as Directus declares it: numeric affinity, so epoch milliseconds compare as numbers.
			t.dateTime('usage_synced_at').nullable();
			t.index(['server', 'status', 'usage_synced_at']);
		});
		const rows = Array.from({ length: accounts }, (_, i) => ({
			id: i + 1,
			server: 's1',
			status: 'active',
			nextpanel_account_id: i + 1,
			usage_synced_at: null,
		}));
		for (let i = 0; i < rows.length; i += 500) await db('hosting_accounts').insert(rows.slice(i, i + 500));

		const day = 24 * HOUR;
		const runs = Math.round(day / periodMs);
		let calls = 0;
		let maxStaleMs = 0;
		let slowestRunMs = 0;
		for (let run = 0; run < runs; run++) {
			const nowMs = run * periodMs;
			const plan = planUsageBatch({ liveCount: accounts, periodMs, maxAgeMs, ratePerSecond });
			const started = performance.now();
			const ids = await dueUsageAccounts(db, { serverId: 's1', nowMs, dueAfterMs: plan.dueAfterMs, limit: plan.limit });
			slowestRunMs = Math.max(slowestRunMs, performance.now() - started);
			calls += ids.length;
			for (let i = 0; i < ids.length; i += 500) {
				await db('hosting_accounts')
					.whereIn('id', ids.slice(i, i + 500))
					.update({ usage_synced_at: nowMs });
			}
			// Staleness once the first pass over the fleet is done (before that, figures are only missing).
			if (nowMs >= maxAgeMs) {
				const oldest = await db('hosting_accounts').min({ at: 'usage_synced_at' }).first();
				const never = await db('hosting_accounts').whereNull('usage_synced_at').count({ n: '*' }).first();
				if (Number(never?.n ?? 0) > 0) maxStaleMs = Infinity;
				// Just before the next run, the oldest figure is a period older still.
				else maxStaleMs = Math.max(maxStaleMs, nowMs + periodMs - Number(oldest?.at ?? 0));
			}
		}
		const before = { callsPerHour: (accounts * HOUR) / periodMs, maxStaleMs: periodMs };
		const after = { callsPerHour: calls / 24, maxStaleMs };
		const minutes = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms / 60_000)} min` : 'never read');
		return {
			name: `Usage sync load on one server (${accounts.toLocaleString('en')} live accounts, runs every ${minutes(periodMs)}, MAX_AGE ${minutes(maxAgeMs)}, ${ratePerSecond}/s)`,
			target: `at most ${ratePerSecond} calls/s (${ratePerSecond * 3600} an hour) and no figure older than MAX_AGE + one period`,
			met: after.callsPerHour <= ratePerSecond * 3600 && after.maxStaleMs <= maxAgeMs + periodMs,
			figures: {
				'calls per hour, before': Math.round(before.callsPerHour),
				'calls per hour, after': Math.round(after.callsPerHour),
				'calls per hour, after / before': (after.callsPerHour / before.callsPerHour).toFixed(3),
				'largest staleness, before': minutes(before.maxStaleMs),
				'largest staleness, after': minutes(after.maxStaleMs),
				'accounts read per run, after': Math.round(calls / runs),
				'slowest due-account query (ms)': slowestRunMs.toFixed(1),
			},
		};
	} finally {
		await db.destroy();
	}
}
