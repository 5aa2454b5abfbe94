// Before any write on a NextPanel account, the account at that id must still be ours: the
// username and billing id we linked. A server moved to another panel, an account deleted and its
// id reused, or an account renamed in NextPanel's own admin would otherwise turn a suspend or a
// terminate into an action on somebody else's account.
import { excerpt } from '../../shared/text.ts';
import { StateConflictError } from '../errors.ts';
import type { NextPanelClient } from '../nextpanel/client.ts';
import type { NextPanelAccount } from '../nextpanel/contract.ts';
import { NextPanelFailure } from '../nextpanel/failure.ts';
import { remoteIdentity, type AccountRow } from './account-rows.ts';

export type RemoteCheck = { kind: 'ours'; remote: NextPanelAccount } | { kind: 'gone' };

/** Why the account at `remote.id` is not the one this hosting account linked, or null when it is. */
export function identityMismatch(account: Pick<AccountRow, 'username' | 'remote_billing_id'>, remote: NextPanelAccount): string | null {
	const expected = remoteIdentity(account);
	const differences: string[] = [];
	if (remote.username !== expected.username) differences.push(`username "${excerpt(remote.username)}" instead of "${expected.username}"`);
	if ((remote.billing_id ?? null) !== expected.billing_id)
		differences.push(
			`billing id ${remote.billing_id ? `"${excerpt(remote.billing_id)}"` : 'none'} instead of ${expected.billing_id ? `"${expected.billing_id}"` : 'none'}`,
		);
	return differences.length ? differences.join(' and ') : null;
}

/**
 * Reads the account at its NextPanel id and checks it is ours. A missing account is `gone` (the
 * caller decides what that means); an account that belongs to someone else is a 409 that
 * explains the drift, and nothing is written anywhere.
 */
export async function verifyRemoteAccount(
	client: Pick<NextPanelClient, 'getAccount'>,
	account: Pick<AccountRow, 'id' | 'username' | 'remote_billing_id'>,
	remoteId: number,
	doing: string,
): Promise<RemoteCheck> {
	let remote: NextPanelAccount;
	try {
		remote = await client.getAccount(remoteId);
	} catch (error) {
		if (error instanceof NextPanelFailure && error.code === 'not_found') return { kind: 'gone' };
		throw error;
	}
	const mismatch = identityMismatch(account, remote);
	if (mismatch) {
		throw new StateConflictError({
			reason: `Did not ${doing} hosting account "${account.username}": NextPanel account ${remoteId} now has ${mismatch}, so it is not this account any more (the server's address may have changed, or the account was changed in NextPanel). Nothing was changed; check the drift report of this server.`,
			hosting_account: account.id,
		});
	}
	return { kind: 'ours', remote };
}
