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
