// When unpaid hosting is reminded, suspended and terminated: the policy an administrator edits in
// the `nextpanel_settings` singleton (or sets through NEXTPANEL_OVERDUE_* when the project has no
// room for that collection). Shared, so the app validates with the same rules as the API.
import { z } from 'zod';

const days = z.number({ error: 'must be a whole number of days' }).int('must be a whole number of days').min(0, 'must be 0 or more');

export const overduePolicySchema = z
	.object({
		/** Days after paid_until before an unpaid account is suspended; 0 means the day after. */
		overdue_suspend_after_days: days,
		/** Days after paid_until before an overdue suspension turns into a termination; null: never. */
		overdue_terminate_after_days: days.nullable(),
		/** Days before paid_until that the reminder goes out; null: no reminder. */
		overdue_reminder_days_before: days.nullable(),
		/** Suspensions and terminations per run at most; the rest wait for the next run. */
		overdue_max_actions_per_run: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 or more'),
	})
	.refine(
		(policy) => policy.overdue_terminate_after_days === null || policy.overdue_terminate_after_days > policy.overdue_suspend_after_days,
		{
			path: ['overdue_terminate_after_days'],
			message: 'must be more than overdue_suspend_after_days: an account is suspended before it is terminated',
		},
	);

export type OverduePolicy = z.infer<typeof overduePolicySchema>;

export const OVERDUE_POLICY_FIELDS = [
	'overdue_suspend_after_days',
	'overdue_terminate_after_days',
	'overdue_reminder_days_before',
	'overdue_max_actions_per_run',
] as const;

export const DEFAULT_OVERDUE_POLICY: OverduePolicy = {
	overdue_suspend_after_days: 3,
	overdue_terminate_after_days: null,
	overdue_reminder_days_before: 7,
	overdue_max_actions_per_run: 25,
};

export interface TermStep {
	action: 'suspend' | 'terminate';
	/** YYYY-MM-DD: the first day the overdue job takes that step. */
	on: string;
}

function plusDays(day: string, days: number): string {
	const [year, month, date] = day.split('-').map(Number) as [number, number, number];
	const moved = new Date(Date.UTC(year, month - 1, date + days));
	return moved.toISOString().slice(0, 10);
}

/** What the overdue job will do next to an account, and from which day; null when it never will. */
export function nextTermStep(
	account: { status: string; paid_until: string | null; overdue_exempt: boolean | null; overdue_suspended_at: string | null },
	policy: OverduePolicy,
): TermStep | null {
	if (!account.paid_until || account.overdue_exempt) return null;
	const paidUntil = account.paid_until.slice(0, 10);
	if (account.status === 'active') return { action: 'suspend', on: plusDays(paidUntil, policy.overdue_suspend_after_days + 1) };
	if (account.status === 'suspended' && account.overdue_suspended_at && policy.overdue_terminate_after_days !== null) {
		return { action: 'terminate', on: plusDays(paidUntil, policy.overdue_terminate_after_days + 1) };
	}
	return null;
}
