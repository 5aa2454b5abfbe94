// Provisioning one hosting account on NextPanel, exactly once. The claim (account-store) makes
// this the only run working on the account; inside the run, any create whose outcome is unknown
// (timeout, reset, 5xx, garbled answer) is followed by a lookup, so a create that did reach
// NextPanel is adopted instead of sent again.
import type { Accountability, SchemaOverview } from '@directus/types';
import { randomUUID } from 'node:crypto';
import { generatePassword } from '../../shared/password.ts';
import type { NextPanelClient } from '../nextpanel/client.ts';
import type { CreateAccountRequest, NextPanelAccount } from '../nextpanel/contract.ts';
import { NextPanelFailure } from '../nextpanel/failure.ts';
import type { Runtime } from '../runtime.ts';
import { clientForServer, loadServerWithSecret, type ServerWithSecret } from '../servers.ts';
import {
	claimForProvisioning,
	extendLease,
	isLinkedElsewhere,
	readSealedPassword,
	releaseLease,
	setCreateAttempted,
	storeSealedPassword,
	type AccountRow,
} from './account-store.ts';
import { writeAccountState } from './account-writer.ts';
import { backoffMs, sleep } from './backoff.ts';
import { ALLOWED_FROM } from './states.ts';
import { sendWelcomeMail } from './welcome-mail.ts';

import { PASSWORD_PURPOSE } from '../secret-purposes.ts';

export type ProvisionResult =
	| { outcome: 'active'; account: AccountRow; adopted: boolean }
	| { outcome: 'failed'; account: AccountRow; reason: string; failure: NextPanelFailure | null }
	| { outcome: 'retry_scheduled'; account: AccountRow; reason: string; failure: NextPanelFailure; nextAttemptAt: Date }
	| { outcome: 'not_claimed'; reason: 'not_found' | 'busy' | 'state'; account: AccountRow | null };

export interface ProvisionOptions {
	/**
	 * The person who asked for it (endpoint, operation); null for hooks and schedules. Their
	 * request is on record as the creation of the hosting account and in nextpanel_logs; the
	 * outcome of provisioning is written as the system's, without a revision of its own.
	 */
	causedBy: Accountability | null;
	/** A manual retry starts a fresh attempt budget and may start from `failed`. */
	retry?: boolean;
	/** The password the caller chose or generated; stored sealed with the claim. */
	password?: string;
	/** The request's schema, when there is one. */
	schema?: SchemaOverview;
}

interface CustomerRow {
	id: string;
	full_name: string;
	email: string;
	phone: string | null;
	company: string | null;
}

type Lookup = { kind: 'ours'; account: NextPanelAccount } | { kind: 'foreign'; account: NextPanelAccount } | { kind: 'absent' };

export async function provisionAccount(runtime: Runtime, id: string, options: ProvisionOptions): Promise<ProvisionResult> {
	const owner = `${runtime.instanceId}:${randomUUID()}`;
	const from = options.retry ? ALLOWED_FROM.retry : ALLOWED_FROM.provision;
	const sealedPassword = options.password ? runtime.secrets.seal(options.password, PASSWORD_PURPOSE) : undefined;
	const claim = await claimForProvisioning(runtime, id, owner, from, {
		resetAttempts: options.retry ?? false,
		...(sealedPassword ? { sealedPassword } : {}),
	});
	if (!claim.claimed) {
		// Whoever holds the account will need the chosen password.
		if (sealedPassword && claim.reason !== 'not_found') await storeSealedPassword(runtime.database, id, sealedPassword);
		if (claim.reason === 'no_capacity') {
			await writeAccountState(runtime, id, { status: 'failed', last_error: claim.message, next_attempt_ms: null }, null);
			return { outcome: 'failed', account: { ...claim.account, status: 'failed' }, reason: claim.message, failure: null };
		}
		return { outcome: 'not_claimed', reason: claim.reason, account: 'account' in claim ? claim.account : null };
	}
	let result: ProvisionResult | null = null;
	try {
		result = await runClaimed(runtime, claim.account, owner, options);
		return result;
	} catch (error) {
		// Anything unexpected (a database error, a bug) must not leave the account looking busy
		// until the lease expires without a word; record it and let the schedule try again.
		const reason = `Provisioning stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
		runtime.logger.error(`nextpanel: ${reason} (hosting account ${id})`);
		await writeAccountState(
			runtime,
			id,
			{ status: 'pending', last_error: reason, next_attempt_ms: Date.now() + runtime.config.NEXTPANEL_RETRY_BASE_MS * 10 },
			null,
		).catch(() => undefined);
		throw error;
	} finally {
		if (result?.outcome !== 'active') await releaseLease(runtime, id, owner);
	}
}

async function runClaimed(runtime: Runtime, account: AccountRow, owner: string, options: ProvisionOptions): Promise<ProvisionResult> {
	const { config } = runtime;
	const fail = async (reason: string, failure: NextPanelFailure | null, attempts: number): Promise<ProvisionResult> => {
		await writeAccountState(
			runtime,
			account.id,
			{ status: 'failed', last_error: reason, attempts, next_attempt_ms: null },
			null,
			options.schema,
		);
		return { outcome: 'failed', account: { ...account, status: 'failed', attempts }, reason, failure };
	};

	const server = account.server ? await loadServerWithSecret(runtime, account.server) : null;
	if (!server) return fail('The NextPanel server of this account no longer exists.', null, account.attempts);
	const customer: CustomerRow | undefined = await runtime
		.database('customers')
		.select('id', 'full_name', 'email', 'phone', 'company')
		.where({ id: account.customer })
		.first();
	if (!customer) return fail('The customer of this hosting account no longer exists.', null, account.attempts);

	const client = clientForServer(runtime, server, { hostingAccount: account.id, user: options.causedBy?.user ?? null });
	const password = options.password ?? (await passwordFor(runtime, account.id));
	const request = createRequest(account, customer, password);

	let attempts = account.attempts;
	// Whether an earlier run may have created the account, and whether the row says a create may
	// be under way (the claim has just set that mark).
	let createAttempted = account.create_attempted;
	let markedInDatabase = true;
	let lastFailure: NextPanelFailure | null = null;

	for (let round = 1; round <= config.NEXTPANEL_RETRY_ATTEMPTS; round++) {
		if (round > 1) {
			await sleep(backoffMs(round - 1, config.NEXTPANEL_RETRY_BASE_MS, config.NEXTPANEL_RETRY_MAX_MS));
			await extendLease(runtime, account.id, owner);
		}
		const mayAlreadyExist = createAttempted;
		try {
			if (mayAlreadyExist) {
				const found = await lookUp(runtime, client, account, server, customer);
				if (found.kind === 'ours') return activate(runtime, account, found.account, true, attempts, options.schema);
				if (found.kind === 'foreign') return fail(foreignAccountReason(account.username, server), null, attempts);
			}
			// Recorded before sending: if this process dies mid-request, whoever recovers the
			// account knows to look for it on NextPanel first.
			createAttempted = true;
			if (!markedInDatabase) await setCreateAttempted(runtime, account.id, true);
			markedInDatabase = true;
			attempts++;
			const created = await client.createAccount(request);
			return activate(runtime, account, created, false, attempts, options.schema);
		} catch (error) {
			if (!(error instanceof NextPanelFailure)) throw error;
			lastFailure = error;
			if (error.code === 'already_exists') {
				let found: Lookup;
				try {
					found = await lookUp(runtime, client, account, server, customer);
				} catch (lookupError) {
					if (!(lookupError instanceof NextPanelFailure)) throw lookupError;
					lastFailure = lookupError;
					if (lookupError.transient) continue;
					return fail(lookupError.message, lookupError, attempts);
				}
				if (found.kind === 'ours') return activate(runtime, account, found.account, true, attempts, options.schema);
				return fail(foreignAccountReason(account.username, server), error, attempts);
			}
			const outcomeUnknown = error.transient || error.code === 'bad_response';
			if (!outcomeUnknown) return fail(error.message, error, attempts);
			if (!error.mayHaveReachedServer && !mayAlreadyExist) {
				// The request never left this machine, so no account can exist: skip the lookup.
				createAttempted = false;
				markedInDatabase = false;
				await setCreateAttempted(runtime, account.id, false);
			}
		}
	}

	const failure = lastFailure!;
	if (attempts >= config.NEXTPANEL_MAX_ATTEMPTS) {
		return fail(`${failure.message} Gave up after ${attempts} attempts; retry it when NextPanel is back.`, failure, attempts);
	}
	const nextAttemptAt = new Date(Date.now() + backoffMs(attempts, config.NEXTPANEL_RETRY_BASE_MS * 10, config.NEXTPANEL_RETRY_MAX_MS));
	const reason = `${failure.message} (attempt ${attempts} of ${config.NEXTPANEL_MAX_ATTEMPTS}; next try ${describeWait(nextAttemptAt.getTime() - Date.now())}, at ${nextAttemptAt.toISOString().slice(11, 19)} UTC)`;
	await writeAccountState(
		runtime,
		account.id,
		{ status: 'pending', last_error: reason, attempts, next_attempt_ms: nextAttemptAt.getTime() },
		null,
		options.schema,
	);
	return { outcome: 'retry_scheduled', account: { ...account, status: 'pending', attempts }, reason, failure, nextAttemptAt };
}

function describeWait(ms: number): string {
	const seconds = Math.max(1, Math.round(ms / 1000));
	if (seconds < 90) return `in ${seconds} s`;
	const minutes = Math.round(seconds / 60);
	return minutes < 90 ? `in ${minutes} min` : `in ${Math.round(minutes / 60)} h`;
}

function foreignAccountReason(username: string, server: ServerWithSecret): string {
	return `NextPanel server "${server.name}" already has an account named "${username}" that belongs to someone else. Choose another username, then retry.`;
}

async function passwordFor(runtime: Runtime, accountId: string): Promise<string> {
	const sealed = await readSealedPassword(runtime, accountId);
	if (sealed) return runtime.secrets.open(sealed, PASSWORD_PURPOSE);
	// No password was chosen (an account created through the item API, or one whose request
	// died before storing it): generate one and keep it, so a retried create sends the same.
	const password = generatePassword();
	await storeSealedPassword(runtime.database, accountId, runtime.secrets.seal(password, PASSWORD_PURPOSE));
	return password;
}

function createRequest(account: AccountRow, customer: CustomerRow, password: string): CreateAccountRequest {
	return {
		username: account.username,
		email: customer.email,
		password,
		full_name: customer.full_name,
		phone: customer.phone || null,
		company: customer.company || null,
		package_id: account.package,
		is_admin: false,
		billing_id: customer.id,
		metadata: { created_from: 'billing_system', billing_customer_id: customer.id, hosting_account_id: account.id, account_type: 'panel' },
	};
}

async function lookUp(
	runtime: Runtime,
	client: NextPanelClient,
	account: AccountRow,
	server: ServerWithSecret,
	customer: CustomerRow,
): Promise<Lookup> {
	const existing = (await client.listAccounts()).find((candidate) => candidate.username === account.username);
	if (!existing) return { kind: 'absent' };
	if (existing.billing_id !== customer.id) return { kind: 'foreign', account: existing };
	if (await isLinkedElsewhere(runtime, account.id, server.id, existing.id)) return { kind: 'foreign', account: existing };
	return { kind: 'ours', account: existing };
}

async function activate(
	runtime: Runtime,
	account: AccountRow,
	remote: NextPanelAccount,
	adopted: boolean,
	attempts: number,
	schema?: SchemaOverview,
): Promise<ProvisionResult> {
	const mailing = runtime.config.NEXTPANEL_WELCOME_MAIL;
	const activated = {
		status: 'active' as const,
		nextpanel_account_id: remote.id,
		attempts,
		create_attempted: false,
		next_attempt_ms: null,
	};
	await writeAccountState(
		runtime,
		account.id,
		{
			...activated,
			provisioned_at: new Date().toISOString(),
			last_error: null,
			// The run is over: its lease ends with this write rather than a write of its own.
			lease_owner: null,
			lease_expires_ms: null,
			// Without a welcome mail nothing needs the password any more: wipe it in the same write.
			...(mailing ? { welcome_mail: 'pending' } : { welcome_mail: 'skipped', password_ciphertext: null }),
		},
		null,
		schema,
	);
	const result = { ...account, ...activated, lease_owner: null, lease_expires_ms: null, welcome_mail: mailing ? 'pending' : 'skipped' };
	if (mailing) result.welcome_mail = await sendWelcomeMail(runtime, result);
	return { outcome: 'active', account: result, adopted };
}
