// The `overdue` job: hosting follows payment. Each due account takes the path of a manual action
// (the lease, the status guard, the remote identity check, retries, the call log), with a last
// look at the account just before NextPanel is called, so a payment or an exemption that arrived
// during the run wins. At most overdue_max_actions_per_run suspensions and terminations per run;
// when more are due, administrators are told how many wait. Runs as the system, named as the
// overdue job in the call log, activity and revisions.
import { jobAccountability } from '../access.ts';
import { StateConflictError } from '../errors.ts';
import { AccountContext } from '../hosting-accounts/account-context.ts';
import type { JobContext, JobReport } from '../jobs.ts';
import { liftOverdueSuspension, suspendOverdueAccount, terminateAccount, type ActionContext } from '../lib/account-actions.ts';
import { administrators, notify } from '../lib/notifications.ts';
import { planOverdue, stillDue } from '../overdue/overdue-plan.ts';
import { readOverduePolicy } from '../overdue/overdue-policy-source.ts';
import { sendTermNotice } from '../overdue/term-notices.ts';
import { localDay } from '../overdue/term-dates.ts';
import type { OverduePolicy } from '../../shared/overdue-policy.ts';
import type { OverdueRow } from '../../shared/wire/overdue.ts';

type Outcome = 'done' | 'skipped' | 'failed';

async function currentTerm(actions: ActionContext, id: string) {
	return actions.knex('hosting_accounts').select('status', 'paid_until', 'overdue_exempt', 'overdue_suspended_at').where({ id }).first();
}

async function act(
	context: AccountContext,
	row: OverdueRow,
	{ policy, today }: { policy: OverduePolicy; today: string },
): Promise<Outcome> {
	const actions = context.actions;
	if (row.action === 'remind') {
		return (await sendTermNotice(context.core, { accountId: row.account, notice: 'reminder', policy })) ? 'done' : 'skipped';
	}
	if (row.action === 'suspend') {
		const suspended = await suspendOverdueAccount(actions, {
			id: row.account,
			reason: `Overdue: paid until ${row.paid_until}`,
			stillDue: (account) => stillDue('suspend', account as never, policy, today),
		});
		if (!suspended) return 'skipped';
		// A payment that landed between the last look and the suspension is honoured at once.
		await liftOverdueSuspension(actions, {
			id: row.account,
			paid: (account) => !stillDue('suspend', { ...(account as Parameters<typeof stillDue>[1]), status: 'active' }, policy, today),
		});
		await sendTermNotice(context.core, { accountId: row.account, notice: 'suspended', policy });
		return 'done';
	}
	const account = await currentTerm(actions, row.account);
	if (!account || !stillDue('terminate', account, policy, today)) return 'skipped';
	await terminateAccount(actions, row.account);
	await sendTermNotice(context.core, { accountId: row.account, notice: 'terminated', policy });
	return 'done';
}

async function tellAdministratorsAboutTheCap(context: AccountContext, { waiting, cap }: { waiting: number; cap: number }): Promise<void> {
	const notice = {
		subject: `NextPanel: ${waiting} overdue account(s) wait for the next run`,
		message: `The overdue job suspends or terminates at most ${cap} account(s) per run (overdue_max_actions_per_run in NextPanel settings), and ${waiting} more are due. They are handled on the next runs, oldest first. Check the overdue preview in the NextPanel module if this many is unexpected (an import that set every paid_until in the past, for instance).`,
	};
	for (const admin of await administrators(context.knex)) {
		await notify(context.core, admin, { collection: 'nextpanel_settings', id: '1' }, notice);
	}
}

export async function runOverdueJob({ runtime, schema }: JobContext): Promise<JobReport> {
	const context = new AccountContext({ runtime, schema, accountability: jobAccountability('overdue') });
	const { policy } = await readOverduePolicy(context.knex, schema, runtime.config);
	const today = localDay();
	const plan = await planOverdue(context.knex, policy, today);
	let processed = 0;
	let failed = 0;
	for (const row of plan.rows) {
		try {
			if ((await act(context, row, { policy, today })) === 'done') processed++;
		} catch (error) {
			// Another instance acting on it, or a status changed by hand meanwhile: nothing to do here.
			if (error instanceof StateConflictError && !('hosting_account' in ((error as { extensions?: object }).extensions ?? {}))) continue;
			failed++;
			runtime.logger.warn(
				`nextpanel: overdue ${row.action} of hosting account ${row.username} failed (tried again on the next run): ${error instanceof Error ? error.message : String(error)}`,
			);
		}
	}
	if (plan.held_back.cap.length) {
		await tellAdministratorsAboutTheCap(context, { waiting: plan.held_back.cap.length, cap: policy.overdue_max_actions_per_run });
	}
	return { job: 'overdue', processed, failed };
}
