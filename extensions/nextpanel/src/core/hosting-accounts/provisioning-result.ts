// What a provisioning run came to, and the one mapping from that outcome to what an API caller
// receives. REST, Flows and the CLI all report a run through `provisioningError`.
import { StateConflictError, upstreamError } from '../errors.ts';
import type { AccountPublicField } from '../../shared/account-fields.ts';
import type { NextPanelFailure } from '../nextpanel/failure.ts';

export type ProvisionResult =
	| { outcome: 'active'; adopted: boolean }
	| { outcome: 'failed'; reason: string; failure: NextPanelFailure | null }
	| { outcome: 'retry_scheduled'; reason: string; failure: NextPanelFailure; nextAttemptAt: Date }
	/** Another run (the schedule, another instance) holds the account and will report the outcome. */
	| { outcome: 'busy' };

export interface Provisioned {
	id: string;
	result: ProvisionResult;
	/** A password generated here and never shown before: the caller's one chance to see it. */
	generatedPassword: string | null;
	/**
	 * The account's public columns as this request stored them, once it is active (null
	 * otherwise). Not an answer by itself: `HostingAccountsService.visibleFromWritten` makes it
	 * the caller's read, without a second query.
	 */
	written: Partial<Record<AccountPublicField, unknown>> | null;
}

/**
 * Nothing for success (201/200) and `busy` (202), a 502/504 for NextPanel's errors, a 409 for
 * everything that needs a person to change something first.
 */
export function provisioningError(result: ProvisionResult, accountId: string): Error | null {
	switch (result.outcome) {
		case 'active':
		case 'busy':
			return null;
		case 'failed':
			return result.failure
				? upstreamError(result.failure, accountId, result.reason)
				: new StateConflictError({ reason: result.reason, hosting_account: accountId });
		case 'retry_scheduled':
			return upstreamError(result.failure, accountId, result.reason);
	}
}
