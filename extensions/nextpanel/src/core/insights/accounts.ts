// Hosting accounts by status, and what service terms add to it: accounts suspended as overdue,
// and those whose term ends within a week. One grouped query; the term columns count only where
// the project has them.
import type { SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { ACCOUNT_STATUSES, type AccountStatus } from '../../shared/account-states.ts';
import type { AccountsInsight } from '../../shared/wire/insights.ts';
import { addDays, dayValue, localDay } from '../overdue/term-dates.ts';

export const DUE_SOON_DAYS = 7;

export async function accountsInsight(
	knex: Knex,
	schema: SchemaOverview,
	{ server = null, now = new Date() }: { server?: string | null; now?: Date } = {},
): Promise<AccountsInsight> {
	const fields = schema.collections['hosting_accounts']?.fields ?? {};
	const query = knex('hosting_accounts').select('status').count({ total: '*' }).groupBy('status');
	if (server) query.where('server', server);
	if (fields['overdue_suspended_at']) {
		query.select(knex.raw('SUM(CASE WHEN overdue_suspended_at IS NOT NULL THEN 1 ELSE 0 END) AS overdue'));
	}
	if (fields['paid_until']) {
		// Terms are calendar days in the Directus server's zone, as the overdue job reads them.
		const today = localDay(now);
		const exempt = fields['overdue_exempt'] ? ' AND (overdue_exempt IS NULL OR overdue_exempt = ?)' : '';
		query.select(
			knex.raw(`SUM(CASE WHEN paid_until >= ? AND paid_until <= ?${exempt} THEN 1 ELSE 0 END) AS due_soon`, [
				dayValue(today),
				dayValue(addDays(today, DUE_SOON_DAYS)),
				...(exempt ? [false] : []),
			]),
		);
	}
	const rows = (await query) as {
		status: string;
		total: number | string;
		overdue?: number | string | null;
		due_soon?: number | string | null;
	}[];
	const byStatus = Object.fromEntries(ACCOUNT_STATUSES.map((status) => [status, 0])) as Record<AccountStatus, number>;
	let total = 0;
	let overdue = 0;
	let dueSoon = 0;
	for (const row of rows) {
		const count = Number(row.total);
		total += count;
		if (row.status in byStatus) byStatus[row.status as AccountStatus] += count;
		if (row.status === 'suspended') overdue += Number(row.overdue ?? 0);
		if (row.status === 'active') dueSoon += Number(row.due_soon ?? 0);
	}
	return { server, total, by_status: byStatus, overdue, due_in_7_days: dueSoon };
}
