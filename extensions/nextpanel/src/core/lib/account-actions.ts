// Suspend, unsuspend, terminate, cancel and usage sync of an account. Each takes a lease on the
// account first (so it never races a provisioning run or another action), checks that the
// NextPanel account is still ours before writing to it, retries transient NextPanel failures,
// and treats "already done" answers as success after checking the server.
import type { Accountability } from '@directus/types';
import { randomUUID } from 'node:crypto';
import { ALLOWED_FROM, conflictReason, type AccountAction } from '../../shared/account-states.ts';
import { ItemNotFoundError, StateConflictError, upstreamError } from '../errors.ts';
import type { NextPanelClient } from '../nextpanel/client.ts';
import { NextPanelFailure } from '../nextpanel/failure.ts';
import type { NextPanelServersService } from '../nextpanel-servers-service.ts';
import type { AccountRow } from './account-rows.ts';
import { PASSWORD_WIPED, writeAccountState, type CoreContext } from './account-state.ts';
import { backoffMs, sleep } from './backoff.ts';
import { claimForAction, releaseLease } from './claims.ts';
import { verifyRemoteAccount } from './remote-identity.ts';
import { clearServedProvisionFlag } from './served-provision-flag.ts';

export interface ActionContext extends CoreContext {
	servers: NextPanelServersService;
	causedBy: Accountability | null;
}

type LeasedWork<T> = (account: AccountRow, client: NextPanelClient | null) => Promise<T>;

async function withActionLease<T>(context: ActionContext, id: string, action: AccountAction, work: LeasedWork<T>): Promise<T> {
	const owner = `${context.runtime.instanceId}:${randomUUID()}`;
	const leases = { knex: context.knex, leaseMs: context.runtime.config.leaseMs };
	const claim = await claimForAction(leases, { id, owner, from: ALLOWED_FROM[action] });
	if (!claim.claimed) {
		if (claim.reason === 'not_found') throw new ItemNotFoundError({ collection: 'hosting_accounts', id });
		const { account } = claim as { account: AccountRow };
		if (claim.reason === 'busy') {
			throw new StateConflictError({
				reason: `Hosting account "${account.username}" is busy with another operation; try again in a moment.`,
			});
		}
		throw new StateConflictError({ reason: conflictReason(action, account.username, account.status) });
	}
	try {
		const server = claim.account.server ? await context.servers.loadWithSecret(claim.account.server) : null;
		return await work(claim.account, server ? context.servers.clientFor({ server, hostingAccount: id }) : null);
	} finally {
		await releaseLease(leases, id, owner);
	}
}

/** Retries transient failures with backoff; other failures become Directus errors (502/504). */
async function withRetries<T>(context: ActionContext, accountId: string, call: () => Promise<T>): Promise<T> {
	const { NEXTPANEL_ATTEMPTS_PER_RUN, NEXTPANEL_RETRY_BASE_MS, NEXTPANEL_RETRY_MAX_MS } = context.runtime.config;
	for (let attempt = 1; ; attempt++) {
		try {
			return await call();
		} catch (error) {
			if (!(error instanceof NextPanelFailure)) throw error;
			if (!error.transient || attempt >= NEXTPANEL_ATTEMPTS_PER_RUN) throw upstreamError(error, accountId);
			// A server that asks us to wait (429/503 with Retry-After) is given at least that long;
			// longer than the longest backoff, and the call is left for a later run.
			const asked = error.retryAfterMs ?? 0;
			if (asked > NEXTPANEL_RETRY_MAX_MS) throw upstreamError(error, accountId);
			await sleep(Math.max(asked, backoffMs(attempt, NEXTPANEL_RETRY_BASE_MS, NEXTPANEL_RETRY_MAX_MS)));
		}
	}
}

function requireRemote(account: AccountRow, client: NextPanelClient | null): { client: NextPanelClient; remoteId: number } {
	if (!client || account.nextpanel_account_id === null) {
		throw new StateConflictError({ reason: `Hosting account "${account.username}" has no NextPanel account to act on.` });
	}
	return { client, remoteId: account.nextpanel_account_id };
}

/** Checks the account at its id is ours; a missing one is a 409 for actions that need it. */
async function requireOurs(
	context: ActionContext,
	client: NextPanelClient,
	account: AccountRow,
	remoteId: number,
	doing: string,
): Promise<void> {
	const check = await withRetries(context, account.id, () => verifyRemoteAccount(client, account, remoteId, doing));
	if (check.kind === 'gone') {
		throw new StateConflictError({
			reason: `Did not ${doing} hosting account "${account.username}": NextPanel has no account ${remoteId} any more (it was deleted on the server). Mark it terminated here, or check the drift report of this server.`,
			hosting_account: account.id,
		});
	}
}

/** A 400 such as "Account is already suspended" is fine when the server shows the wanted state. */
async function alreadyInState(client: NextPanelClient, remoteId: number, wanted: string, error: unknown): Promise<boolean> {
	if (!(error instanceof NextPanelFailure) || error.code !== 'rejected') return false;
	const remote = await client.getAccount(remoteId).catch((lookupError: unknown) => {
		if (lookupError instanceof NextPanelFailure) return null;
		throw lookupError;
	});
	return remote?.status === wanted;
}

interface SuspendOptions {
	reason: string | null;
	/** Written with the suspension, in the same update (the overdue mark). */
	alsoSet?: Record<string, unknown>;
}

async function suspendLeased(
	context: ActionContext,
	leased: { account: AccountRow; client: NextPanelClient | null },
	{ reason, alsoSet = {} }: SuspendOptions,
): Promise<void> {
	const { account } = leased;
	const { client, remoteId } = requireRemote(account, leased.client);
	await requireOurs(context, client, account, remoteId, 'suspend');
	await withRetries(context, account.id, async () => {
		try {
			await client.suspendAccount(remoteId, reason);
		} catch (error) {
			if (!(await alreadyInState(client, remoteId, 'suspended', error))) throw error;
		}
	});
	await writeAccountState(context, {
		id: account.id,
		patch: { status: 'suspended', suspended_at: new Date().toISOString(), suspend_reason: reason || null, ...alsoSet },
		causedBy: context.causedBy,
	});
}

export async function suspendAccount(context: ActionContext, id: string, reason: string | null): Promise<void> {
	await withActionLease(context, id, 'suspend', (account, client) => suspendLeased(context, { account, client }, { reason }));
}

export interface OverdueSuspension {
	id: string;
	reason: string;
	/** Checked on the account as it is once leased, just before NextPanel is called: a payment meanwhile wins. */
	stillDue: (account: Record<string, unknown>) => boolean;
}

/** The overdue job's suspension: the manual path, marked as overdue; false when it was no longer due. */
export async function suspendOverdueAccount(context: ActionContext, { id, reason, stillDue }: OverdueSuspension): Promise<boolean> {
	return withActionLease(context, id, 'suspend', async (account, client) => {
		const current = await context
			.knex('hosting_accounts')
			.select('status', 'paid_until', 'overdue_exempt', 'overdue_suspended_at')
			.where({ id })
			.first();
		if (!current || !stillDue(current)) return false;
		await suspendLeased(context, { account, client }, { reason, alsoSet: { overdue_suspended_at: new Date().toISOString() } });
		return true;
	});
}

async function unsuspendLeased(context: ActionContext, leased: { account: AccountRow; client: NextPanelClient | null }): Promise<void> {
	const { account } = leased;
	const { client, remoteId } = requireRemote(account, leased.client);
	await requireOurs(context, client, account, remoteId, 'unsuspend');
	await withRetries(context, account.id, async () => {
		try {
			await client.unsuspendAccount(remoteId);
		} catch (error) {
			if (!(await alreadyInState(client, remoteId, 'active', error))) throw error;
		}
	});
	await writeAccountState(context, {
		id: account.id,
		// Whoever lifts a suspension lifts its overdue mark with it.
		patch: { status: 'active', suspended_at: null, suspend_reason: null, overdue_suspended_at: null },
		causedBy: context.causedBy,
	});
}

export async function unsuspendAccount(context: ActionContext, id: string): Promise<void> {
	await withActionLease(context, id, 'unsuspend', (account, client) => unsuspendLeased(context, { account, client }));
}

/**
 * A payment's unsuspension: only a suspension the overdue job made, only while the term is paid
 * (checked once leased); a manual suspension is never lifted by a payment. False when nothing was due.
 */
export async function liftOverdueSuspension(
	context: ActionContext,
	{ id, paid }: { id: string; paid: (account: Record<string, unknown>) => boolean },
): Promise<boolean> {
	return withActionLease(context, id, 'unsuspend', async (account, client) => {
		const current = await context
			.knex('hosting_accounts')
			.select('status', 'paid_until', 'overdue_exempt', 'overdue_suspended_at')
			.where({ id })
			.first();
		if (!current?.overdue_suspended_at || current.status !== 'suspended' || !paid(current)) return false;
		await unsuspendLeased(context, { account, client });
		return true;
	});
}

/** A create that may have landed but was never adopted: find it by name and billing id. */
async function findUnadopted(context: ActionContext, client: NextPanelClient, account: AccountRow): Promise<number | null> {
	const accounts = await withRetries(context, account.id, () => client.listAccounts());
	const match = accounts.find((remote) => remote.username === account.username && (remote.billing_id ?? null) === String(account.customer));
	return match?.id ?? null;
}

const TERMINATED = (): Record<string, unknown> => ({
	status: 'terminated',
	terminated_at: new Date().toISOString(),
	next_attempt_ms: null,
	create_attempted: false,
	...PASSWORD_WIPED,
});

export async function terminateAccount(context: ActionContext, id: string): Promise<void> {
	await withActionLease(context, id, 'terminate', async (account, client) => {
		const linked = account.nextpanel_account_id;
		const remoteId = linked ?? (client && account.create_attempted ? await findUnadopted(context, client, account) : null);
		if (client && remoteId !== null) {
			// An unadopted account was just matched by name and billing id; a linked one is checked by id.
			const check =
				linked !== null ? await withRetries(context, id, () => verifyRemoteAccount(client, account, linked, 'terminate')) : null;
			if (check?.kind !== 'gone') {
				await withRetries(context, id, async () => {
					try {
						await client.deleteAccount(remoteId);
					} catch (error) {
						// Already gone on the server: that is what terminating wants.
						if (!(error instanceof NextPanelFailure && error.code === 'not_found')) throw error;
					}
				});
			}
		}
		await writeAccountState(context, { id, patch: TERMINATED(), causedBy: context.causedBy });
		await clearServedProvisionFlag(context, account.customer);
	});
}

/**
 * Stops an account that was never provisioned. Nothing is sent to NextPanel; when a create may
 * have reached it, the server is asked (a read) and an account found there must be terminated
 * instead.
 */
export async function cancelAccount(context: ActionContext, id: string): Promise<void> {
	await withActionLease(context, id, 'cancel', async (account, client) => {
		if (account.create_attempted && client) {
			const found = await findUnadopted(context, client, account);
			if (found !== null) {
				throw new StateConflictError({
					reason: `Hosting account "${account.username}" was created on NextPanel (account ${found}) although the answer never arrived; use Terminate to delete it there.`,
					hosting_account: id,
				});
			}
		}
		await writeAccountState(context, {
			id,
			patch: { ...TERMINATED(), last_error: null },
			causedBy: context.causedBy,
		});
		await clearServedProvisionFlag(context, account.customer);
	});
}

export async function syncAccountUsage(context: ActionContext, id: string): Promise<void> {
	await withActionLease(context, id, 'sync', async (account, maybeClient) => {
		const { client, remoteId } = requireRemote(account, maybeClient);
		// The figures are stored on this record, so they must be this account's: the same identity
		// check as every write, or a reused id would fill in somebody else's usage.
		await requireOurs(context, client, account, remoteId, 'sync usage of');
		const stats = await withRetries(context, id, () => client.getStats(remoteId));
		const whole = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value));
		await writeAccountState(context, {
			id,
			patch: {
				disk_used_mb: whole(stats.disk_used_mb),
				disk_limit_mb: whole(stats.disk_limit_mb),
				bandwidth_used_mb: whole(stats.bandwidth_used_mb),
				bandwidth_limit_mb: whole(stats.bandwidth_limit_mb),
				usage_synced_at: new Date().toISOString(),
			},
			causedBy: context.causedBy,
		});
	});
}

/**
 * Drift fix: the account is gone from NextPanel (or its id now holds another account), so the
 * record is marked terminated here. Nothing is sent to NextPanel; an account that is still there
 * and still ours must be terminated instead.
 */
export async function markAccountTerminated(context: ActionContext, id: string): Promise<void> {
	await withActionLease(context, id, 'mark_terminated', async (account, client) => {
		if (client && account.nextpanel_account_id !== null) {
			const remoteId = account.nextpanel_account_id;
			const stillOurs = await withRetries(context, id, async () => {
				try {
					return (await verifyRemoteAccount(client, account, remoteId, 'check')).kind === 'ours';
				} catch (error) {
					// Another account at the id is exactly the drift this fix is for.
					if (error instanceof StateConflictError) return false;
					throw error;
				}
			});
			if (stillOurs) {
				throw new StateConflictError({
					reason: `NextPanel still has hosting account "${account.username}" (account ${remoteId}); use Terminate to delete it there.`,
					hosting_account: id,
				});
			}
		}
		await writeAccountState(context, { id, patch: TERMINATED(), causedBy: context.causedBy });
		await clearServedProvisionFlag(context, account.customer);
	});
}

/** Drift fix: NextPanel shows another status than Directus; apply Directus's to NextPanel. */
export async function reapplyAccountStatus(context: ActionContext, id: string): Promise<void> {
	await withActionLease(context, id, 'reapply_status', async (account, maybeClient) => {
		const { client, remoteId } = requireRemote(account, maybeClient);
		await requireOurs(context, client, account, remoteId, 'bring back in step');
		const reason = (await context.knex('hosting_accounts').select('suspend_reason').where({ id }).first())?.suspend_reason ?? null;
		await withRetries(context, id, async () => {
			try {
				if (account.status === 'suspended') await client.suspendAccount(remoteId, reason);
				else await client.unsuspendAccount(remoteId);
			} catch (error) {
				if (!(await alreadyInState(client, remoteId, account.status, error))) throw error;
			}
		});
	});
}

/** Drift fix: NextPanel shows another status than Directus; take NextPanel's here. */
export async function acceptRemoteStatus(context: ActionContext, id: string): Promise<void> {
	await withActionLease(context, id, 'accept_remote_status', async (account, maybeClient) => {
		const { client, remoteId } = requireRemote(account, maybeClient);
		const check = await withRetries(context, id, () => verifyRemoteAccount(client, account, remoteId, 'bring back in step'));
		if (check.kind === 'gone') {
			throw new StateConflictError({
				reason: `NextPanel has no account ${remoteId} any more; mark "${account.username}" terminated instead.`,
				hosting_account: id,
			});
		}
		const remoteStatus = check.remote.status;
		if (remoteStatus === 'suspended' && account.status !== 'suspended') {
			await writeAccountState(context, {
				id,
				patch: { status: 'suspended', suspended_at: new Date().toISOString(), suspend_reason: 'Suspended in NextPanel' },
				causedBy: context.causedBy,
			});
		} else if (remoteStatus === 'active' && account.status !== 'active') {
			await writeAccountState(context, {
				id,
				patch: { status: 'active', suspended_at: null, suspend_reason: null },
				causedBy: context.causedBy,
			});
		}
	});
}
