// The NextPanel side of one claimed provisioning run: create the account, exactly once. Any
// create whose outcome is unknown (timeout, reset, 5xx, garbled answer) is followed by a lookup,
// so a create that did reach NextPanel is adopted instead of sent again. The run decides; the
// service writes the outcome. Everything it touches comes in as a dependency, so every path is
// unit-tested with a fake client.
import type { CreateAccountRequest, NextPanelAccount } from '../nextpanel/contract.ts';
import { NextPanelFailure } from '../nextpanel/failure.ts';
import type { NextPanelClient } from '../nextpanel/client.ts';
import type { AccountRow } from './account-rows.ts';
import { backoffMs } from './backoff.ts';

export type RunOutcome =
	| { outcome: 'active'; remote: NextPanelAccount; adopted: boolean; attempts: number }
	| { outcome: 'failed'; reason: string; failure: NextPanelFailure | null; attempts: number }
	| { outcome: 'retry_scheduled'; reason: string; failure: NextPanelFailure; attempts: number; nextAttemptAt: Date };

export interface RunSettings {
	attemptsPerRun: number;
	attemptsBudget: number;
	retryBaseMs: number;
	retryMaxMs: number;
}

export interface RunDependencies {
	client: Pick<NextPanelClient, 'createAccount' | 'listAccounts'>;
	settings: RunSettings;
	/** Records in the database, before a create is sent, that it may land and how many were sent. */
	markCreateSending(attempts: number): Promise<void>;
	/** Records that the last create certainly never left this machine. */
	clearCreateMark(): Promise<void>;
	extendLease(): Promise<void>;
	isLinkedElsewhere(remoteId: number): Promise<boolean>;
	sleep(ms: number): Promise<void>;
	now(): number;
	random?: () => number;
}

export interface RunInput {
	/** The account as claimed; `create_attempted` as it was before the claim, `attempts` as stored. */
	account: Pick<AccountRow, 'id' | 'username' | 'attempts' | 'create_attempted'>;
	/** Whether the claim already recorded the first create of this run (so no write is needed before it). */
	firstCreatePrepaid: boolean;
	request: CreateAccountRequest;
	serverName: string;
}

type Lookup = { kind: 'ours'; account: NextPanelAccount } | { kind: 'foreign' } | { kind: 'absent' };

export function foreignAccountReason(username: string, serverName: string): string {
	return `NextPanel server "${serverName}" already has an account named "${username}" that belongs to someone else. Choose another username, then retry.`;
}

function describeWait(ms: number): string {
	const seconds = Math.max(1, Math.round(ms / 1000));
	if (seconds < 90) return `in ${seconds} s`;
	const minutes = Math.round(seconds / 60);
	return minutes < 90 ? `in ${minutes} min` : `in ${Math.round(minutes / 60)} h`;
}

async function lookUp(deps: RunDependencies, input: RunInput): Promise<Lookup> {
	const existing = (await deps.client.listAccounts()).find((candidate) => candidate.username === input.account.username);
	if (!existing) return { kind: 'absent' };
	if ((existing.billing_id ?? null) !== input.request.billing_id) return { kind: 'foreign' };
	if (await deps.isLinkedElsewhere(existing.id)) return { kind: 'foreign' };
	return { kind: 'ours', account: existing };
}

export async function runProvisioning(deps: RunDependencies, input: RunInput): Promise<RunOutcome> {
	const { settings } = deps;
	const { account, request } = input;
	let attempts = account.attempts;
	const failed = (reason: string, failure: NextPanelFailure | null): RunOutcome => ({ outcome: 'failed', reason, failure, attempts });
	const foreign = () => failed(foreignAccountReason(account.username, input.serverName), null);

	// Whether an earlier create may have landed; the first create of a fresh run was recorded by the claim.
	let mayExist = account.create_attempted;
	let prepaid = input.firstCreatePrepaid;
	let lastFailure: NextPanelFailure | null = null;

	for (let round = 1; round <= settings.attemptsPerRun; round++) {
		// The lifetime budget caps the creates, whichever run sends them.
		if (attempts >= settings.attemptsBudget) break;
		if (round > 1) {
			await deps.sleep(backoffMs(round - 1, settings.retryBaseMs, settings.retryMaxMs, deps.random));
			await deps.extendLease();
		}
		const mayExistBefore = mayExist;
		try {
			if (mayExist) {
				const found = await lookUp(deps, input);
				if (found.kind === 'ours') return { outcome: 'active', remote: found.account, adopted: true, attempts };
				if (found.kind === 'foreign') return foreign();
			}
			attempts++;
			// Recorded before sending: if this process dies mid-request, whoever recovers the
			// account knows to look on NextPanel first, and how many creates went out.
			if (!prepaid) await deps.markCreateSending(attempts);
			prepaid = false;
			mayExist = true;
			const created = await deps.client.createAccount(request);
			return { outcome: 'active', remote: created, adopted: false, attempts };
		} catch (error) {
			if (!(error instanceof NextPanelFailure)) throw error;
			lastFailure = error;
			if (error.code === 'already_exists') {
				let found: Lookup;
				try {
					found = await lookUp(deps, input);
				} catch (lookupError) {
					if (!(lookupError instanceof NextPanelFailure)) throw lookupError;
					lastFailure = lookupError;
					if (lookupError.transient) continue;
					return failed(lookupError.message, lookupError);
				}
				if (found.kind === 'ours') return { outcome: 'active', remote: found.account, adopted: true, attempts };
				return failed(foreignAccountReason(account.username, input.serverName), error);
			}
			const outcomeUnknown = error.transient || error.code === 'bad_response';
			if (!outcomeUnknown) return failed(error.message, error);
			if (!error.mayHaveReachedServer && !mayExistBefore) {
				// The request never left this machine and nothing was sent before: no account can exist.
				mayExist = false;
				await deps.clearCreateMark();
			}
		}
	}

	const failure = lastFailure;
	if (!failure) return failed(`All ${settings.attemptsBudget} attempts are used up; use Retry to start again.`, null);
	if (attempts >= settings.attemptsBudget) {
		return failed(`${failure.message} Gave up after ${attempts} attempts; retry it when NextPanel is back.`, failure);
	}
	const nextAttemptAt = new Date(deps.now() + backoffMs(attempts, settings.retryBaseMs * 10, settings.retryMaxMs, deps.random));
	const reason = `${failure.message} (attempt ${attempts} of ${settings.attemptsBudget}; next try ${describeWait(nextAttemptAt.getTime() - deps.now())})`;
	return { outcome: 'retry_scheduled', reason, failure, attempts, nextAttemptAt };
}
