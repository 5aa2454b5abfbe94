// Accounts nearest their disk or bandwidth limits: the shares are worked out, sorted and cut to
// the top N by the database, so 100,000 accounts never travel to Node.
import type { Knex } from 'knex';
import type { UsageInsight, UsageMetric } from '../../shared/wire/insights.ts';

/** Only live accounts use their limits; a terminated account's last figures say nothing. */
const LIVE = ['active', 'suspended'];

// DOUBLE PRECISION means a float in both PostgreSQL and SQLite (REAL affinity): integer
// division would floor every share to 0.
const shareOf = (used: string, limit: string) =>
	`CASE WHEN a.${limit} > 0 AND a.${used} IS NOT NULL THEN CAST(a.${used} AS DOUBLE PRECISION) / a.${limit} END`;
const DISK = shareOf('disk_used_mb', 'disk_limit_mb');
const BANDWIDTH = shareOf('bandwidth_used_mb', 'bandwidth_limit_mb');
// The larger share, ignoring a missing one: SQLite's MAX(a, b) and PostgreSQL's GREATEST treat NULL differently.
const EITHER = `CASE WHEN (${DISK}) IS NULL THEN (${BANDWIDTH}) WHEN (${BANDWIDTH}) IS NULL THEN (${DISK}) WHEN (${DISK}) >= (${BANDWIDTH}) THEN (${DISK}) ELSE (${BANDWIDTH}) END`;
const SHARE: Readonly<Record<UsageMetric, string>> = { disk: DISK, bandwidth: BANDWIDTH, any: EITHER };

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export async function usageInsight(
	knex: Knex,
	{ limit, metric, server = null }: { limit: number; metric: UsageMetric; server?: string | null },
): Promise<UsageInsight> {
	const query = knex({ a: 'hosting_accounts' })
		.leftJoin({ s: 'nextpanel_servers' }, 's.id', 'a.server')
		.select(
			'a.id',
			'a.username',
			'a.server',
			's.name as server_name',
			'a.status',
			'a.disk_used_mb',
			'a.disk_limit_mb',
			'a.bandwidth_used_mb',
			'a.bandwidth_limit_mb',
			knex.raw(`${DISK} AS disk_share`),
			knex.raw(`${BANDWIDTH} AS bandwidth_share`),
			knex.raw(`${SHARE[metric]} AS share`),
		)
		.whereIn('a.status', LIVE)
		.whereRaw(`(${SHARE[metric]}) IS NOT NULL`)
		.orderByRaw(`${SHARE[metric]} DESC, a.username ASC`)
		.limit(limit);
	if (server) query.where('a.server', server);
	const rows = (await query) as Record<string, unknown>[];
	return rows.map((row) => ({
		account: String(row['id']),
		username: String(row['username']),
		server: row['server'] === null || row['server'] === undefined ? null : String(row['server']),
		server_name: (row['server_name'] as string | null) ?? null,
		status: String(row['status']),
		disk_used_mb: num(row['disk_used_mb']),
		disk_limit_mb: num(row['disk_limit_mb']),
		bandwidth_used_mb: num(row['bandwidth_used_mb']),
		bandwidth_limit_mb: num(row['bandwidth_limit_mb']),
		disk_share: num(row['disk_share']),
		bandwidth_share: num(row['bandwidth_share']),
		share: num(row['share']),
	}));
}
