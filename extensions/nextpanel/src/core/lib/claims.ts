// Who works on an account right now. Claims and leases are atomic conditional updates in the
// database, the only place several Directus instances can agree on; they bypass ItemsService on
// purpose (no revisions, no events: nothing a person would want to see).
import type { Knex } from 'knex';
import { ALLOWED_FROM, type AccountAction, type AccountStatus } from '../../shared/account-states.ts';
import { isPostgres } from '../runtime.ts';
import { ACCOUNT_ROW_COLUMNS, normalizeAccountRow, readAccountRow, type AccountRow } from './account-rows.ts';
import { chooseServer, type ServerRow } from './server-choice.ts';

export type { ServerRow };

export type ClaimOutcome =
	| { claimed: true; account: AccountRow; firstCreatePrepaid?: boolean; server?: ServerRow }
	| { claimed: false; reason: 'not_found' }
	| { claimed: false; reason: 'busy' | 'state'; account: AccountRow }
	| { claimed: false; reason: 'no_capacity'; message: string; account: AccountRow };

export interface ClaimContext {
	knex: Knex;
	leaseMs: number;
}

const leaseIsFree = (now: number) => (query: Knex.QueryBuilder) =>
	query.whereNull('lease_expires_ms').orWhere('lease_expires_ms', '<', now);

async function reserveServer(trx: Knex.Transaction, account: AccountRow): Promise<{ server: ServerRow } | { error: string }> {
	const choice = await chooseServer(
		trx,
		{ server: account.server, package: account.package, excludeAccountId: account.id },
		{ lock: true },
	);
	if ('problem' in choice) {
		// The account is stored already: the sentence is about it, not about a field of a form.
		const message =
			choice.problem.kind === 'unknown'
				? 'The NextPanel server chosen for this account no longer exists; choose another server'
				: choice.problem.message;
		return { error: `${message.charAt(0).toUpperCase()}${message.slice(1)}.` };
	}
	return { server: choice.server };
}

/**
 * Takes an account for provisioning: checks its state, reserves a slot on its server (choosing
 * one if none is set) and sets a lease, all in one transaction. An account left in
 * `provisioning` by a crashed run is taken over once its lease has expired.
 *
 * The claim also marks that a create may now be sent (`create_attempted`), so a run that dies
 * at any later point leaves a row that tells its successor to look on NextPanel first. The
 * returned account carries the mark and the attempt count as they were before the claim.
 */
export async function claimForProvisioning(
	context: ClaimContext,
	{
		id,
		owner,
		action,
		resetAttempts = false,
	}: { id: string; owner: string; action: Extract<AccountAction, 'provision' | 'retry'>; resetAttempts?: boolean },
): Promise<ClaimOutcome> {
	const postgres = isPostgres(context.knex);
	const now = Date.now();
	return context.knex.transaction(async (trx) => {
		const lockAccount = trx('hosting_accounts').select(ACCOUNT_ROW_COLUMNS).where({ id });
		if (postgres) lockAccount.forUpdate();
		const row = await lockAccount.first();
		if (!row) return { claimed: false, reason: 'not_found' } as const;
		const account = normalizeAccountRow(row);
		const leaseLive = account.lease_expires_ms !== null && account.lease_expires_ms > now;
		const recovering = account.status === 'provisioning' && !leaseLive;
		if (leaseLive) return { claimed: false, reason: 'busy', account } as const;
		if (!recovering && !ALLOWED_FROM[action].includes(account.status)) return { claimed: false, reason: 'state', account } as const;

		let serverId = account.server;
		let server: ServerRow | undefined;
		if (!recovering) {
			const reservation = await reserveServer(trx, account);
			if ('error' in reservation) return { claimed: false, reason: 'no_capacity', message: reservation.error, account } as const;
			server = reservation.server;
			serverId = String(server.id);
		}
		// A run that need not look on NextPanel first will send a create at once: record it with
		// the claim (the mark and the count), which saves a write on the common path.
		const firstCreatePrepaid = !account.create_attempted;
		const attempts = resetAttempts ? 0 : account.attempts;
		const claimed = {
			status: 'provisioning' as const,
			server: serverId,
			lease_owner: owner,
			lease_expires_ms: now + context.leaseMs,
			next_attempt_ms: null,
		};
		await trx('hosting_accounts')
			.where({ id })
			.update({ ...claimed, create_attempted: true, attempts: firstCreatePrepaid ? attempts + 1 : attempts });
		return { claimed: true, account: { ...account, ...claimed, attempts }, firstCreatePrepaid, ...(server ? { server } : {}) } as const;
	});
}

/** Takes a lease for an action on an account (suspend, terminate, ...) without changing its status. */
export async function claimForAction(
	context: ClaimContext,
	{ id, owner, from }: { id: string; owner: string; from: readonly AccountStatus[] },
): Promise<ClaimOutcome> {
	const now = Date.now();
	const updated = await context
		.knex('hosting_accounts')
		.where({ id })
		.whereIn('status', from as AccountStatus[])
		.where(leaseIsFree(now))
		.update({ lease_owner: owner, lease_expires_ms: now + context.leaseMs });
	const account = await readAccountRow(context.knex, id);
	if (!account) return { claimed: false, reason: 'not_found' };
	if (updated === 1) return { claimed: true, account };
	const leaseLive = account.lease_expires_ms !== null && account.lease_expires_ms > now && account.lease_owner !== owner;
	return { claimed: false, reason: leaseLive ? 'busy' : 'state', account };
}

export async function extendLease(context: ClaimContext, id: string, owner: string): Promise<void> {
	await context
		.knex('hosting_accounts')
		.where({ id, lease_owner: owner })
		.update({ lease_expires_ms: Date.now() + context.leaseMs });
}

export async function releaseLease(context: ClaimContext, id: string, owner: string): Promise<void> {
	await context.knex('hosting_accounts').where({ id, lease_owner: owner }).update({ lease_owner: null, lease_expires_ms: null });
}

/** Before a create goes out: it may land, and this many have been sent. */
export async function markCreateSending(context: ClaimContext, id: string, attempts: number): Promise<void> {
	await context.knex('hosting_accounts').where({ id }).update({ create_attempted: true, attempts });
}

/** The last create certainly never reached NextPanel. */
export async function clearCreateMark(context: ClaimContext, id: string): Promise<void> {
	await context.knex('hosting_accounts').where({ id }).update({ create_attempted: false });
}

/** Is this NextPanel account already linked to another live hosting account on the same server? */
export async function isLinkedElsewhere(knex: Knex, accountId: string, serverId: string, nextpanelId: number): Promise<boolean> {
	const row = await knex('hosting_accounts')
		.select('id')
		.where({ server: serverId, nextpanel_account_id: nextpanelId })
		.whereNot('id', accountId)
		.whereNot('status', 'terminated')
		.first();
	return Boolean(row);
}

/** Pending accounts whose next attempt is due and that nobody holds, oldest due first. */
export async function dueForProvisioning(knex: Knex, limit: number): Promise<string[]> {
	const now = Date.now();
	const rows = await knex('hosting_accounts')
		.select('id')
		.where({ status: 'pending' })
		.where((q) => q.whereNull('next_attempt_ms').orWhere('next_attempt_ms', '<=', now))
		.where(leaseIsFree(now))
		.orderBy('next_attempt_ms', 'asc')
		.limit(limit);
	return rows.map((r) => String(r.id));
}

/** Accounts left in `provisioning` by a run that died (its lease ran out). */
export async function abandonedProvisioning(knex: Knex, limit: number): Promise<string[]> {
	const now = Date.now();
	const rows = await knex('hosting_accounts').select('id').where({ status: 'provisioning' }).where(leaseIsFree(now)).limit(limit);
	return rows.map((r) => String(r.id));
}
