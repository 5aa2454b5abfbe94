// NextPanel calls per server and the newest failures, from the call log. Audit events in the same
// table (an adoption, a password reveal) are not calls to a server and are left out.
import type { Knex } from 'knex';
import type { CallsInsight } from '../../shared/wire/insights.ts';
import type { AuditEvent } from '../../shared/wire/call-log.ts';
import { edge, isoOf } from './timestamps.ts';

const AUDIT_EVENTS: readonly AuditEvent[] = ['adopt_account', 'reveal_password'];
export const LAST_ERRORS = 10;

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

export async function callsInsight(
	knex: Knex,
	{ start, end, server = null }: { start: Date; end: Date; server?: string | null },
): Promise<Omit<CallsInsight, 'from' | 'to' | 'tz'>> {
	const inRange = (query: Knex.QueryBuilder) => {
		query.where('l.date_created', '>=', edge(knex, start)).where('l.date_created', '<', edge(knex, end));
		if (server) query.where('l.server', server);
		return query;
	};
	const perServer = inRange(
		knex({ l: 'nextpanel_logs' })
			.select('l.server')
			.count({ calls: '*' })
			.select(knex.raw("SUM(CASE WHEN l.outcome = 'error' THEN 1 ELSE 0 END) AS failed"))
			.whereNotIn('l.action', AUDIT_EVENTS)
			.groupBy('l.server'),
	);
	const lastErrors = inRange(
		knex({ l: 'nextpanel_logs' })
			.select('l.id', 'l.date_created', 'l.server', 'l.action', 'l.error_code', 'l.http_status', 'l.message', 'l.hosting_account')
			.where('l.outcome', 'error')
			.orderBy([
				{ column: 'l.date_created', order: 'desc' },
				{ column: 'l.id', order: 'desc' },
			])
			.limit(LAST_ERRORS),
	);
	const [counts, errors] = (await Promise.all([perServer, lastErrors])) as [Record<string, unknown>[], Record<string, unknown>[]];
	// Names come from the few servers, not joined into a million-row group.
	const ids = counts.map((row) => row['server']).filter((id): id is string => typeof id === 'string');
	const names = new Map<string, string>(
		ids.length
			? ((await knex('nextpanel_servers').select('id', 'name').whereIn('id', ids)) as { id: string; name: string }[]).map((row) => [
					String(row.id),
					row.name,
				])
			: [],
	);
	return {
		per_server: counts
			.map((row) => ({
				server: text(row['server']),
				name: row['server'] ? (names.get(String(row['server'])) ?? null) : null,
				calls: Number(row['calls']),
				failed: Number(row['failed'] ?? 0),
			}))
			.sort((a, b) => b.calls - a.calls || String(a.name).localeCompare(String(b.name))),
		last_errors: errors.map((row) => ({
			id: row['id'] as string | number,
			date_created: isoOf(row['date_created']),
			server: text(row['server']),
			action: String(row['action']),
			error_code: text(row['error_code']),
			http_status: row['http_status'] === null || row['http_status'] === undefined ? null : Number(row['http_status']),
			message: text(row['message']),
			hosting_account: text(row['hosting_account']),
		})),
	};
}
