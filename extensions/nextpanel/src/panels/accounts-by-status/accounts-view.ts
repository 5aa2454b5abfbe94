// The accounts panel's rows: each status with its count and share, the service-term figures, and
// the collection filter behind each of them.
import { STATUS_KINDS } from '../../interfaces/shared/format.ts';
import type { AccountStatus } from '../../shared/account-states.ts';
import type { AccountsInsight } from '../../shared/wire/insights.ts';
import { strings } from '../shared/strings.ts';

/** The order people read them in: what runs, what needs a look, what is on its way, what is gone. */
export const STATUS_ORDER: readonly AccountStatus[] = ['active', 'suspended', 'failed', 'pending', 'provisioning', 'terminated'];

export type TermFigure = 'overdue' | 'due_in_7_days';
export type AccountsLinkKind = AccountStatus | TermFigure | 'total';

export interface StatusRow {
	status: AccountStatus;
	label: string;
	count: number;
	kind: (typeof STATUS_KINDS)[AccountStatus];
	/** 0-100, rounded; of all accounts shown. */
	percent: number;
}

export function statusRows(insight: AccountsInsight): StatusRow[] {
	return STATUS_ORDER.map((status) => {
		const count = insight.by_status[status];
		return {
			status,
			label: strings.accounts.status[status],
			count,
			kind: STATUS_KINDS[status],
			percent: insight.total > 0 ? Math.round((count / insight.total) * 100) : 0,
		};
	});
}

export function termRows(insight: AccountsInsight): { figure: TermFigure; label: string; count: number }[] {
	return [
		{ figure: 'overdue', label: strings.accounts.overdue, count: insight.overdue },
		{ figure: 'due_in_7_days', label: strings.accounts.dueSoon, count: insight.due_in_7_days },
	];
}

/**
 * The hosting accounts a figure counts, as a Directus filter, matching the insight route: overdue
 * is suspended by the overdue job and still suspended; due soon is active, not exempt, with a term
 * ending between today and 7 days from now.
 */
export function accountsFilter(kind: AccountsLinkKind, server: string | null): Record<string, unknown> | null {
	const parts: Record<string, unknown>[] = server ? [{ server: { _eq: server } }] : [];
	if (kind === 'overdue') parts.push({ status: { _eq: 'suspended' } }, { overdue_suspended_at: { _nnull: true } });
	else if (kind === 'due_in_7_days')
		parts.push(
			{ status: { _eq: 'active' } },
			// A date column against an instant: after yesterday at this time is today or later.
			{ paid_until: { _gt: '$NOW(-1 day)' } },
			{ paid_until: { _lte: '$NOW(+7 days)' } },
			{ _or: [{ overdue_exempt: { _null: true } }, { overdue_exempt: { _eq: false } }] },
		);
	else if (kind !== 'total') parts.push({ status: { _eq: kind } });
	return parts.length ? { _and: parts } : null;
}
