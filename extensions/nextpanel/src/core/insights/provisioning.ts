// Provisioning over time, counted from the call log (nextpanel_logs), one row per NextPanel call:
// - created:    create_account calls that succeeded (an account now exists on NextPanel);
// - failed:     create_account calls that failed;
// - retried:    create_account calls, whatever their outcome, for an account that had an earlier
//               create_account call: the backoff rounds of one run, the retry job and the Retry
//               button all send a second create for the same hosting account, and that is the one
//               mark they share (hosting_accounts.attempts is a running total, with no date);
// - terminated: delete_account calls that succeeded, which only terminating an account sends.
// A row's bucket is picked in SQL by comparing date_created with the bucket edges the caller's
// time zone gives (see buckets.ts), so every database counts the same calendar days.
import type { Knex } from 'knex';
import type { ProvisioningBucket } from '../../shared/wire/insights.ts';
import type { Bucket } from './buckets.ts';
import { edge } from './timestamps.ts';

/**
 * The bucket index of `column` as nested CASEs that halve the edges at each level: a row is placed
 * after about log2(buckets) comparisons, not one per bucket (a year of days is nine, not 366).
 */
export function bucketIndexSql(column: string, starts: readonly unknown[]): { sql: string; bindings: unknown[] } {
	const bindings: unknown[] = [];
	const build = (lo: number, hi: number): string => {
		if (hi - lo <= 1) return String(lo);
		const mid = (lo + hi) >> 1;
		bindings.push(starts[mid]);
		const below = `CASE WHEN ${column} < ? THEN `;
		// Bindings follow the text order: the edge first, then the lower half, then the upper one.
		const low = build(lo, mid);
		const high = build(mid, hi);
		return `${below}${low} ELSE ${high} END`;
	};
	return { sql: build(0, starts.length), bindings };
}

export async function provisioningBuckets(
	knex: Knex,
	{ buckets, server = null }: { buckets: readonly Bucket[]; server?: string | null },
): Promise<ProvisioningBucket[]> {
	const counts = buckets.map((bucket) => ({ date: bucket.date, created: 0, failed: 0, retried: 0, terminated: 0 }));
	if (buckets.length === 0) return counts;
	const index = bucketIndexSql(
		'l.date_created',
		buckets.map((bucket) => edge(knex, bucket.start)),
	);
	const earlierCreate =
		'EXISTS (SELECT 1 FROM nextpanel_logs p WHERE p.hosting_account = l.hosting_account' +
		" AND p.action = 'create_account' AND p.date_created < l.date_created)";
	const query = knex({ l: 'nextpanel_logs' })
		.select(
			knex.raw(`${index.sql} AS bucket`, index.bindings as Knex.RawBinding[]),
			knex.raw("SUM(CASE WHEN l.action = 'create_account' AND l.outcome = 'ok' THEN 1 ELSE 0 END) AS created"),
			knex.raw("SUM(CASE WHEN l.action = 'create_account' AND l.outcome = 'error' THEN 1 ELSE 0 END) AS failed"),
			knex.raw(
				`SUM(CASE WHEN l.action = 'create_account' AND l.hosting_account IS NOT NULL AND ${earlierCreate} THEN 1 ELSE 0 END) AS retried`,
			),
			knex.raw("SUM(CASE WHEN l.action = 'delete_account' AND l.outcome = 'ok' THEN 1 ELSE 0 END) AS terminated"),
		)
		.whereIn('l.action', ['create_account', 'delete_account'])
		.where('l.date_created', '>=', edge(knex, buckets[0]!.start))
		.where('l.date_created', '<', edge(knex, buckets[buckets.length - 1]!.end))
		.groupByRaw('bucket');
	if (server) query.where('l.server', server);
	const rows = (await query) as { bucket: number | string; created: unknown; failed: unknown; retried: unknown; terminated: unknown }[];
	for (const row of rows) {
		const target = counts[Number(row.bucket)];
		if (!target) continue;
		target.created = Number(row.created ?? 0);
		target.failed = Number(row.failed ?? 0);
		target.retried = Number(row.retried ?? 0);
		target.terminated = Number(row.terminated ?? 0);
	}
	return counts;
}
