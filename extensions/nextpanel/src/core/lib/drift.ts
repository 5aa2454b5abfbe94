// Differences between what Directus holds for a server and what the server itself holds, from
// one list of NextPanel's accounts and one read of the server's hosting accounts, compared in
// memory. It never writes to either side; every row names the fixes that fit it.
import type { AccountStatus } from '../../shared/account-states.ts';
import type { NextPanelAccount } from '../nextpanel/contract.ts';
import type { DriftRow } from '../../shared/wire/drift.ts';

export { DRIFT_FIXES, DRIFT_KINDS, type DriftFix, type DriftKind, type DriftRow } from '../../shared/wire/drift.ts';

export interface LocalAccount {
	id: string;
	username: string;
	status: AccountStatus;
	nextpanel_account_id: number | null;
	remote_billing_id: string | null;
	create_attempted: boolean;
	customer: string | null;
}

/** A stable name for a row, to tell new drift from drift already reported. */
export function driftKey(row: Pick<DriftRow, 'kind' | 'remote_id' | 'hosting_account'>): string {
	return `${row.kind}:${row.remote_id ?? '-'}:${row.hosting_account ?? '-'}`;
}

const LINKED: readonly AccountStatus[] = ['active', 'suspended'];

export function compareAccounts(local: LocalAccount[], remote: NextPanelAccount[]): DriftRow[] {
	const rows: DriftRow[] = [];
	const remoteById = new Map(remote.map((account) => [account.id, account]));
	const linkedIds = new Set<number>();
	// Accounts whose create may be under way: a remote account of that name is not "unknown".
	const inFlight = new Set(
		local.filter((a) => a.nextpanel_account_id === null && a.create_attempted && a.status !== 'terminated').map((a) => a.username),
	);

	for (const account of local) {
		if (account.nextpanel_account_id === null || account.status === 'terminated') continue;
		linkedIds.add(account.nextpanel_account_id);
		if (!LINKED.includes(account.status)) continue;
		const found = remoteById.get(account.nextpanel_account_id);
		const base = {
			hosting_account: account.id,
			remote_id: account.nextpanel_account_id,
			username: account.username,
			directus_status: account.status,
		};
		if (!found) {
			rows.push({
				...base,
				kind: 'missing_remote',
				nextpanel_status: null,
				message: `"${account.username}" is ${account.status} in Directus, but NextPanel has no account ${account.nextpanel_account_id} (deleted in NextPanel's admin?).`,
				fixes: ['mark_terminated'],
			});
			continue;
		}
		if (found.username !== account.username || (found.billing_id ?? null) !== account.remote_billing_id) {
			rows.push({
				...base,
				kind: 'identity_differs',
				nextpanel_status: found.status ?? null,
				remote_username: found.username,
				remote_billing_id: found.billing_id ?? null,
				expected_billing_id: account.remote_billing_id,
				message: `NextPanel account ${found.id} holds "${found.username}" (billing id ${found.billing_id ?? 'none'}), not "${account.username}" (billing id ${account.remote_billing_id ?? 'none'}): it is not this account any more. Actions on it are refused until this is resolved.`,
				fixes: ['mark_terminated'],
			});
			continue;
		}
		const remoteStatus = found.status === 'suspended' ? 'suspended' : found.status === 'active' ? 'active' : null;
		if (remoteStatus && remoteStatus !== account.status) {
			rows.push({
				...base,
				kind: 'status_differs',
				nextpanel_status: found.status ?? null,
				message: `"${account.username}" is ${account.status} in Directus but ${found.status} on NextPanel.`,
				fixes: ['reapply_status', 'accept_remote_status'],
			});
		}
	}

	for (const account of remote) {
		if (linkedIds.has(account.id) || inFlight.has(account.username)) continue;
		rows.push({
			kind: 'unknown_remote',
			hosting_account: null,
			remote_id: account.id,
			username: account.username,
			directus_status: null,
			nextpanel_status: account.status ?? null,
			message: `NextPanel account ${account.id} ("${account.username}") is not known to Directus.`,
			fixes: ['adopt'],
		});
	}
	return rows;
}
