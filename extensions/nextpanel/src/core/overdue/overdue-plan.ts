// What the overdue job does on a given day, decided in one place for the run and its preview:
// - an active account past paid_until plus the suspend days is suspended (unless exempt);
// - an account the job suspended, past paid_until plus the terminate days, is terminated (only
//   when termination is configured; an active account is never terminated in one step);
// - an active account within the reminder days before paid_until is reminded, once per term.
// Suspensions and terminations together are capped per run, oldest due first.
import type { Knex } from 'knex';
import type { OverduePolicy } from '../../shared/overdue-policy.ts';
import type { OverdueAction, OverdueRow } from '../../shared/wire/overdue.ts';
import { addDays, dayOf, dayValue } from './term-dates.ts';

export interface OverduePlan {
	rows: OverdueRow[];
	held_back: { cap: OverdueRow[]; exempt: OverdueRow[] };
}

interface TermRow {
	id: string;
	username: string;
	paid_until: unknown;
	overdue_exempt: unknown;
	overdue_notices: unknown;
}

/** Which notices of which term went out: `{ reminded_for: "2026-03-12" }` and so on. */
export type OverdueNotices = Partial<Record<'reminded_for' | 'suspended_for' | 'terminated_for', string>>;

export function noticesOf(value: unknown): OverdueNotices {
	if (!value) return {};
	try {
		const parsed = typeof value === 'string' ? JSON.parse(value) : value;
		return parsed && typeof parsed === 'object' ? (parsed as OverdueNotices) : {};
	} catch {
		return {};
	}
}

const truthy = (value: unknown) => value === true || value === 1 || value === '1' || value === 'true';

function toRow(row: TermRow, action: OverdueAction, dueOffset: number): OverdueRow {
	const paidUntil = dayOf(row.paid_until)!;
	return { account: String(row.id), username: row.username, action, paid_until: paidUntil, due_since: addDays(paidUntil, dueOffset) };
}

const COLUMNS = ['id', 'username', 'paid_until', 'overdue_exempt', 'overdue_notices'];

/**
 * Whether a suspension or termination is still due for this account right now: the check just
 * before the call, so that a payment or an exemption that arrived during the run wins.
 */
export function stillDue(
	action: 'suspend' | 'terminate',
	account: { status: string; paid_until: unknown; overdue_exempt: unknown; overdue_suspended_at: unknown },
	policy: OverduePolicy,
	today: string,
): boolean {
	const paidUntil = dayOf(account.paid_until);
	if (!paidUntil || truthy(account.overdue_exempt)) return false;
	if (action === 'suspend') return account.status === 'active' && paidUntil < addDays(today, -policy.overdue_suspend_after_days);
	const days = policy.overdue_terminate_after_days;
	return days !== null && account.status === 'suspended' && Boolean(account.overdue_suspended_at) && paidUntil < addDays(today, -days);
}

export async function planOverdue(knex: Knex, policy: OverduePolicy, today: string): Promise<OverduePlan> {
	const exempt: OverdueRow[] = [];
	const due: OverdueRow[] = [];
	const split = (rows: TermRow[], action: OverdueAction, dueOffset: number) => {
		for (const row of rows) (truthy(row.overdue_exempt) ? exempt : due).push(toRow(row, action, dueOffset));
	};

	// Past paid_until + N days means paid_until < today - N: day 0 is the day after paid_until.
	const suspendDays = policy.overdue_suspend_after_days;
	split(
		await knex('hosting_accounts')
			.select(COLUMNS)
			.where({ status: 'active' })
			.whereNotNull('paid_until')
			.where('paid_until', '<', dayValue(addDays(today, -suspendDays)))
			.orderBy([{ column: 'paid_until' }, { column: 'id' }]),
		'suspend',
		suspendDays + 1,
	);
	const terminateDays = policy.overdue_terminate_after_days;
	if (terminateDays !== null) {
		split(
			await knex('hosting_accounts')
				.select(COLUMNS)
				.where({ status: 'suspended' })
				.whereNotNull('overdue_suspended_at')
				.whereNotNull('paid_until')
				.where('paid_until', '<', dayValue(addDays(today, -terminateDays)))
				.orderBy([{ column: 'paid_until' }, { column: 'id' }]),
			'terminate',
			terminateDays + 1,
		);
	}
	due.sort((a, b) => a.due_since.localeCompare(b.due_since) || a.account.localeCompare(b.account));
	const cap = policy.overdue_max_actions_per_run;
	const rows = due.slice(0, cap);
	const capped = due.slice(cap);

	const reminderDays = policy.overdue_reminder_days_before;
	if (reminderDays !== null) {
		const candidates: TermRow[] = await knex('hosting_accounts')
			.select(COLUMNS)
			.where({ status: 'active' })
			.whereNotNull('paid_until')
			.where('paid_until', '>=', dayValue(today))
			.where('paid_until', '<=', dayValue(addDays(today, reminderDays)))
			.orderBy([{ column: 'paid_until' }, { column: 'id' }]);
		for (const row of candidates) {
			// Once per term: a reminder for this paid_until went out already.
			if (noticesOf(row.overdue_notices).reminded_for === dayOf(row.paid_until)) continue;
			rows.push(toRow(row, 'remind', -reminderDays));
		}
	}
	return { rows, held_back: { cap: capped, exempt } };
}
