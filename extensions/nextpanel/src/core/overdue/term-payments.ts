// A payment brings the account back: when paid_until moves to today or later on an account the
// overdue job suspended, it is unsuspended in the background (like provisioning), whichever way
// the change came (REST, the app, a Flow, an import). A manual suspension is never lifted by a
// payment, and a terminated account is never revived: the unsuspend path refuses both.
import { StateConflictError } from '../errors.ts';
import { AccountContext } from '../hosting-accounts/account-context.ts';
import { liftOverdueSuspension } from '../lib/account-actions.ts';
import { sleep } from '../lib/backoff.ts';
import type { Runtime } from '../runtime.ts';
import type { SchemaOverview } from '@directus/types';
import { dayOf, localDay } from './term-dates.ts';

/** Paid through today: the term covers today or runs on. */
export function termPaid(account: { paid_until?: unknown }, today = localDay()): boolean {
	const paidUntil = dayOf(account.paid_until);
	return paidUntil !== null && paidUntil >= today;
}

const BUSY_RETRIES = 10;

export async function liftPaidSuspensions(runtime: Runtime, { schema, keys }: { schema: SchemaOverview; keys: string[] }): Promise<void> {
	const context = new AccountContext({ runtime, schema, accountability: null });
	const candidates: { id: string; username: string }[] = await context.knex
		.select('id', 'username')
		.from('hosting_accounts')
		.whereIn('id', keys)
		.where({ status: 'suspended' })
		.whereNotNull('overdue_suspended_at');
	for (const account of candidates) {
		for (let attempt = 1; ; attempt++) {
			try {
				await liftOverdueSuspension(context.actions, { id: String(account.id), paid: (row) => termPaid(row) });
				break;
			} catch (error) {
				// Busy: the overdue job (or an operator) is acting on it right now; its own last look sees the payment too.
				if (error instanceof StateConflictError && /busy/.test(error.message) && attempt < BUSY_RETRIES) {
					await sleep(1_000 * attempt);
					continue;
				}
				runtime.logger.warn(
					`nextpanel: hosting account ${account.username} was paid but could not be unsuspended: ${error instanceof Error ? error.message : String(error)}. Unsuspend it by hand, or save its paid_until again.`,
				);
				break;
			}
		}
	}
}
