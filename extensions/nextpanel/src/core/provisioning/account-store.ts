// The raw-SQL side of hosting accounts: claims, leases and sealed passwords. These writes must
// be atomic conditional updates (the only way several Directus instances can agree on who works
// on an account) and must never produce revisions, so they bypass ItemsService on purpose.
import type { Knex } from 'knex';
import { isPostgres, type Runtime } from '../runtime.ts';
import { mostFreeActive, slotsUsed, withUsage } from '../capacity.ts';
import type { AccountStatus } from './states.ts';

export interface AccountRow {
	id: string;
	customer: string;
	server: string | null;
	username: string;
	package: number | null;
	status: AccountStatus;
	nextpanel_account_id: number | null;
	attempts: number;
	create_attempted: boolean;
	lease_owner: string | null;
	lease_expires_ms: number | null;
	next_attempt_ms: number | null;
	welcome_mail: string | null;
	user_created: string | null;
}

const COLUMNS = [
	'id',
	'customer',
	'server',
	'username',
	'package',
	'status',
	'nextpanel_account_id',
	'attempts',
	'create_attempted',
	'lease_owner',
	'lease_expires_ms',
	'next_attempt_ms',
	'welcome_mail',
	'user_created',
];

const toNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function normalize(row: Record<string, unknown>): AccountRow {
	return {
		...(row as unknown as AccountRow),
		package: toNumber(row['package']),
		nextpanel_account_id: toNumber(row['nextpanel_account_id']),
		attempts: Number(row['attempts'] ?? 0),
		create_attempted: row['create_attempted'] === true || row['create_attempted'] === 1 || row['create_attempted'] === '1',
		lease_expires_ms: toNumber(row['lease_expires_ms']),
		next_attempt_ms: toNumber(row['next_attempt_ms']),
	};
}

export async function readAccount(knex: Knex, id: string): Promise<AccountRow | null> {
	const row = await knex('hosting_accounts').select(COLUMNS).where({ id }).first();
	return row ? normalize(row) : null;
}

const leaseIsFree = (now: number) => (query: Knex.QueryBuilder) =>
	query.whereNull('lease_expires_ms').orWhere('lease_expires_ms', '<', now);

export type ClaimOutcome =
	| { claimed: true; account: AccountRow }
	| { claimed: false; reason: 'not_found' }
	| { claimed: false; reason: 'busy' | 'state'; account: AccountRow }
	| { claimed: false; reason: 'no_capacity'; message: string; account: AccountRow };

interface ReservedServer {
	serverId: string;
}

async function reserveServer(trx: Knex.Transaction, account: AccountRow, postgres: boolean): Promise<ReservedServer | { error: string }> {
	const query = trx('nextpanel_servers').select('id', 'name', 'status', 'capacity').orderBy('id');
	if (account.server) query.where({ id: account.server });
	else query.where({ status: 'active' });
	// Serialises slot accounting per server across connections and instances. NO KEY UPDATE
	// leaves inserts of accounts that reference the server (a KEY SHARE lock) unblocked.
	if (postgres) query.forNoKeyUpdate();
	const servers: { id: string; name: string; status: string; capacity: number | string }[] = await query;

	if (account.server) {
		const server = servers[0];
		if (!server) return { error: 'The NextPanel server chosen for this account no longer exists; choose another server.' };
		if (server.status !== 'active') return { error: `NextPanel server "${server.name}" is disabled; enable it or choose another server.` };
	} else if (servers.length === 0) {
		return { error: 'There is no active NextPanel server to provision on: add a server or enable one.' };
	}

	const withFree = withUsage(
		servers,
		await slotsUsed(
			trx,
			servers.map((s) => s.id),
			account.id,
		),
	);

	if (account.server) {
		const server = withFree[0]!;
		if (server.free <= 0)
			return {
				error: `NextPanel server "${server.name}" is full (${server.used} of ${server.capacity} accounts); raise its capacity or choose another server.`,
			};
		return { serverId: server.id };
	}
	const best = mostFreeActive(withFree);
	if (!best)
		return {
			error: `All active NextPanel servers are full (${withFree.map((s) => `${s.name}: ${s.used}/${s.capacity}`).join(', ')}); raise a capacity or add a server.`,
		};
	return { serverId: best.id };
}

export interface ClaimOptions {
	resetAttempts?: boolean;
	/** A password the caller chose, stored with the claim instead of in a write of its own. */
	sealedPassword?: string;
}

/**
 * Takes an account for provisioning: checks its state, reserves a slot on its server (choosing
 * one if none is set) and sets a lease, all in one transaction. An account left in
 * `provisioning` by a crashed run is taken over once its lease has expired.
 *
 * The claim also marks that a create may now be sent (`create_attempted`), so a run that dies
 * at any later point leaves a row that tells its successor to look on NextPanel first. The
 * returned account carries the mark as it was before the claim.
 */
export async function claimForProvisioning(
	runtime: Runtime,
	id: string,
	owner: string,
	from: readonly AccountStatus[],
	options: ClaimOptions = {},
): Promise<ClaimOutcome> {
	const postgres = isPostgres(runtime);
	const now = Date.now();
	return runtime.database.transaction(async (trx) => {
		const lockAccount = trx('hosting_accounts').select(COLUMNS).where({ id });
		if (postgres) lockAccount.forUpdate();
		const row = await lockAccount.first();
		if (!row) return { claimed: false, reason: 'not_found' } as const;
		const account = normalize(row);
		const leaseLive = account.lease_expires_ms !== null && account.lease_expires_ms > now;
		const recovering = account.status === 'provisioning' && !leaseLive;
		if (leaseLive) return { claimed: false, reason: 'busy', account } as const;
		if (!recovering && !from.includes(account.status)) return { claimed: false, reason: 'state', account } as const;

		let serverId = account.server;
		if (!recovering) {
			const reservation = await reserveServer(trx, account, postgres);
			if ('error' in reservation) return { claimed: false, reason: 'no_capacity', message: reservation.error, account } as const;
			serverId = reservation.serverId;
		}
		const claimed = {
			status: 'provisioning' as const,
			server: serverId,
			lease_owner: owner,
			lease_expires_ms: now + runtime.config.leaseMs,
			next_attempt_ms: null,
			...(options.resetAttempts ? { attempts: 0 } : {}),
		};
		await trx('hosting_accounts')
			.where({ id })
			.update({ ...claimed, create_attempted: true, ...(options.sealedPassword ? { password_ciphertext: options.sealedPassword } : {}) });
		return { claimed: true, account: { ...account, ...claimed } } as const;
	});
}

/** Takes a lease for a lifecycle action (suspend, terminate, ...) without changing the status. */
export async function claimForAction(runtime: Runtime, id: string, owner: string, from: readonly AccountStatus[]): Promise<ClaimOutcome> {
	const now = Date.now();
	const updated = await runtime
		.database('hosting_accounts')
		.where({ id })
		.whereIn('status', from as AccountStatus[])
		.where(leaseIsFree(now))
		.update({ lease_owner: owner, lease_expires_ms: now + runtime.config.leaseMs });
	const account = await readAccount(runtime.database, id);
	if (!account) return { claimed: false, reason: 'not_found' };
	if (updated === 1) return { claimed: true, account };
	const leaseLive = account.lease_expires_ms !== null && account.lease_expires_ms > now && account.lease_owner !== owner;
	return { claimed: false, reason: leaseLive ? 'busy' : 'state', account };
}

export async function extendLease(runtime: Runtime, id: string, owner: string): Promise<void> {
	await runtime
		.database('hosting_accounts')
		.where({ id, lease_owner: owner })
		.update({ lease_expires_ms: Date.now() + runtime.config.leaseMs });
}

export async function releaseLease(runtime: Runtime, id: string, owner: string): Promise<void> {
	await runtime.database('hosting_accounts').where({ id, lease_owner: owner }).update({ lease_owner: null, lease_expires_ms: null });
}

export async function setCreateAttempted(runtime: Runtime, id: string, attempted: boolean): Promise<void> {
	await runtime.database('hosting_accounts').where({ id }).update({ create_attempted: attempted });
}

export async function storeSealedPassword(knex: Knex, id: string, sealed: string): Promise<void> {
	await knex('hosting_accounts').where({ id }).update({ password_ciphertext: sealed });
}

export async function readSealedPassword(runtime: Runtime, id: string): Promise<string | null> {
	const row = await runtime.database('hosting_accounts').select('password_ciphertext').where({ id }).first();
	return (row?.password_ciphertext as string | null | undefined) ?? null;
}

/** Is this NextPanel account already linked to another hosting account on the same server? */
export async function isLinkedElsewhere(runtime: Runtime, accountId: string, serverId: string, nextpanelId: number): Promise<boolean> {
	const row = await runtime
		.database('hosting_accounts')
		.select('id')
		.where({ server: serverId, nextpanel_account_id: nextpanelId })
		.whereNot('id', accountId)
		.whereNot('status', 'terminated')
		.first();
	return Boolean(row);
}

/** Pending accounts whose next attempt is due and that nobody holds. */
export async function dueForProvisioning(runtime: Runtime, limit: number): Promise<string[]> {
	const now = Date.now();
	const rows = await runtime
		.database('hosting_accounts')
		.select('id')
		.where({ status: 'pending' })
		.where((q) => q.whereNull('next_attempt_ms').orWhere('next_attempt_ms', '<=', now))
		.where(leaseIsFree(now))
		.orderBy('next_attempt_ms', 'asc')
		.limit(limit);
	return rows.map((r) => String(r.id));
}

/** Accounts left in `provisioning` by a run that died (its lease ran out). */
export async function abandonedProvisioning(runtime: Runtime, limit: number): Promise<string[]> {
	const now = Date.now();
	const rows = await runtime
		.database('hosting_accounts')
		.select('id')
		.where({ status: 'provisioning' })
		.where(leaseIsFree(now))
		.limit(limit);
	return rows.map((r) => String(r.id));
}
