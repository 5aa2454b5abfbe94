// Suspend, unsuspend, terminate and usage sync of provisioned accounts. Each takes a lease on
// the account first (so it never races a provisioning run or another action), retries transient
// NextPanel failures, and treats "already done" answers as success after checking the server.
import type { Accountability } from '@directus/types';
import { randomUUID } from 'node:crypto';
import { ItemNotFoundError, StateConflictError, upstreamError } from '../errors.ts';
import type { NextPanelClient } from '../nextpanel/client.ts';
import { NextPanelFailure } from '../nextpanel/failure.ts';
import type { Runtime } from '../runtime.ts';
import { clientForServer, loadServerWithSecret } from '../servers.ts';
import { claimForAction, readAccount, releaseLease, type AccountRow } from './account-store.ts';
import { writeAccountState } from './account-writer.ts';
import { backoffMs, sleep } from './backoff.ts';
import { ALLOWED_FROM, conflictReason, type AccountAction } from './states.ts';

type LeasedWork<T> = (account: AccountRow, client: NextPanelClient | null) => Promise<T>;

async function withActionLease<T>(
	runtime: Runtime,
	id: string,
	action: AccountAction,
	causedBy: Accountability | null,
	work: LeasedWork<T>,
): Promise<T> {
	const owner = `${runtime.instanceId}:${randomUUID()}`;
	const claim = await claimForAction(runtime, id, owner, ALLOWED_FROM[action]);
	if (!claim.claimed) {
		if (claim.reason === 'not_found') throw new ItemNotFoundError({ collection: 'hosting_accounts', id });
		if (claim.reason === 'busy')
			throw new StateConflictError({
				reason: `Hosting account "${claim.account.username}" is busy with another operation; try again in a moment.`,
			});
		const account = 'account' in claim ? claim.account : null;
		throw new StateConflictError({
			reason: account ? conflictReason(action, account.username, account.status) : `Hosting account ${id} cannot be changed now.`,
		});
	}
	try {
		const server = claim.account.server ? await loadServerWithSecret(runtime, claim.account.server) : null;
		const client = server ? clientForServer(runtime, server, { hostingAccount: id, user: causedBy?.user ?? null }) : null;
		return await work(claim.account, client);
	} finally {
		await releaseLease(runtime, id, owner);
	}
}

/** Retries transient failures with backoff; other failures become Directus errors (502/504). */
async function withRetries<T>(runtime: Runtime, accountId: string, call: () => Promise<T>): Promise<T> {
	const { NEXTPANEL_RETRY_ATTEMPTS, NEXTPANEL_RETRY_BASE_MS, NEXTPANEL_RETRY_MAX_MS } = runtime.config;
	for (let attempt = 1; ; attempt++) {
		try {
			return await call();
		} catch (error) {
			if (!(error instanceof NextPanelFailure)) throw error;
			if (!error.transient || attempt >= NEXTPANEL_RETRY_ATTEMPTS) throw upstreamError(error, accountId);
			await sleep(backoffMs(attempt, NEXTPANEL_RETRY_BASE_MS, NEXTPANEL_RETRY_MAX_MS));
		}
	}
}

function requireRemote(account: AccountRow, client: NextPanelClient | null): { client: NextPanelClient; remoteId: number } {
	if (!client || account.nextpanel_account_id === null) {
		throw new StateConflictError({ reason: `Hosting account "${account.username}" has no NextPanel account to act on.` });
	}
	return { client, remoteId: account.nextpanel_account_id };
}

/** A 400 such as "Account is already suspended" is fine when the server shows the wanted state. */
async function alreadyInState(client: NextPanelClient, remoteId: number, wanted: string, error: unknown): Promise<boolean> {
	if (!(error instanceof NextPanelFailure) || error.code !== 'rejected') return false;
	const remote = await client.getAccount(remoteId).catch(() => null);
	return remote?.status === wanted;
}

async function fresh(runtime: Runtime, id: string): Promise<AccountRow> {
	const account = await readAccount(runtime.database, id);
	if (!account) throw new ItemNotFoundError({ collection: 'hosting_accounts', id });
	return account;
}

export async function suspendAccount(
	runtime: Runtime,
	id: string,
	reason: string | null,
	causedBy: Accountability | null,
): Promise<AccountRow> {
	await withActionLease(runtime, id, 'suspend', causedBy, async (account, maybeClient) => {
		const { client, remoteId } = requireRemote(account, maybeClient);
		await withRetries(runtime, id, async () => {
			try {
				await client.suspendAccount(remoteId, reason);
			} catch (error) {
				if (!(await alreadyInState(client, remoteId, 'suspended', error))) throw error;
			}
		});
		await writeAccountState(
			runtime,
			id,
			{ status: 'suspended', suspended_at: new Date().toISOString(), suspend_reason: reason || null },
			causedBy,
		);
	});
	return fresh(runtime, id);
}

export async function unsuspendAccount(runtime: Runtime, id: string, causedBy: Accountability | null): Promise<AccountRow> {
	await withActionLease(runtime, id, 'unsuspend', causedBy, async (account, maybeClient) => {
		const { client, remoteId } = requireRemote(account, maybeClient);
		await withRetries(runtime, id, async () => {
			try {
				await client.unsuspendAccount(remoteId);
			} catch (error) {
				if (!(await alreadyInState(client, remoteId, 'active', error))) throw error;
			}
		});
		await writeAccountState(runtime, id, { status: 'active', suspended_at: null, suspend_reason: null }, causedBy);
	});
	return fresh(runtime, id);
}

export async function terminateAccount(runtime: Runtime, id: string, causedBy: Accountability | null): Promise<AccountRow> {
	await withActionLease(runtime, id, 'terminate', causedBy, async (account, client) => {
		const remoteId =
			account.nextpanel_account_id ?? (client && account.create_attempted ? await findUnadopted(runtime, client, account) : null);
		if (client && remoteId !== null) {
			await withRetries(runtime, id, async () => {
				try {
					await client.deleteAccount(remoteId);
				} catch (error) {
					// Already gone on the server: that is what terminating wants.
					if (!(error instanceof NextPanelFailure && error.code === 'not_found')) throw error;
				}
			});
		}
		// A password still held for a retry or a welcome mail goes with the same write.
		await writeAccountState(
			runtime,
			id,
			{
				status: 'terminated',
				terminated_at: new Date().toISOString(),
				next_attempt_ms: null,
				create_attempted: false,
				password_ciphertext: null,
			},
			causedBy,
		);
	});
	return fresh(runtime, id);
}

/** A create that may have landed but was never adopted must not outlive its termination. */
async function findUnadopted(runtime: Runtime, client: NextPanelClient, account: AccountRow): Promise<number | null> {
	const accounts = await withRetries(runtime, account.id, () => client.listAccounts());
	const match = accounts.find((remote) => remote.username === account.username && remote.billing_id === account.customer);
	return match?.id ?? null;
}

export async function syncUsage(runtime: Runtime, id: string, causedBy: Accountability | null): Promise<AccountRow> {
	await withActionLease(runtime, id, 'sync', causedBy, async (account, maybeClient) => {
		const { client, remoteId } = requireRemote(account, maybeClient);
		const stats = await withRetries(runtime, id, () => client.getStats(remoteId));
		const whole = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value));
		await writeAccountState(
			runtime,
			id,
			{
				disk_used_mb: whole(stats.disk_used_mb),
				disk_limit_mb: whole(stats.disk_limit_mb),
				bandwidth_used_mb: whole(stats.bandwidth_used_mb),
				bandwidth_limit_mb: whole(stats.bandwidth_limit_mb),
				usage_synced_at: new Date().toISOString(),
			},
			causedBy,
		);
	});
	return fresh(runtime, id);
}
