// Hosting accounts: the only way to provision them, act on them, and change their state. Built
// like Directus's own services, `new HostingAccountsService({ runtime, schema, accountability })`:
// every public method checks what the caller may do with Directus's permissions first, and a
// service built with `accountability: null` is the system itself (name it `sudo...` at the call
// site). The endpoint, the hooks, the Flow operations and the schedules call these methods and
// decide no rule themselves.
import type { Accountability, SchemaOverview } from '@directus/types';
import { isDirectusError } from '@directus/errors';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
	ACCOUNT_FIXED_ONCE_PROVISIONED,
	ACCOUNT_MANAGED_FIELDS,
	ACCOUNT_PUBLIC_FIELDS,
	publicAccountFields,
} from '../shared/account-fields.ts';
import { accountCreateSchema, describeIssues, type ImportRequest, type ProvisionRequest } from '../shared/api-schemas.ts';
import { mapLimited } from '../shared/map-limited.ts';
import {
	readAsCaller,
	requireCollectionAccess,
	requireItemsAccess,
	requireUpdateAccess,
	type AccessContext,
	type ServiceOptions,
} from './access.ts';
import { conflictReason, isAllowed, LIVE, type AccountStatus } from '../shared/account-states.ts';
import { ForbiddenError, InvalidPayloadError, ItemNotFoundError, PasswordGoneError, StateConflictError, upstreamError } from './errors.ts';
import {
	acceptRemoteStatus,
	cancelAccount,
	markAccountTerminated,
	reapplyAccountStatus,
	suspendAccount,
	syncAccountUsage,
	terminateAccount,
	unsuspendAccount,
	type ActionContext,
} from './lib/account-actions.ts';
import { prepareCustomerCreate, prepareCustomerUpdate, type CustomerHostingContext } from './lib/customer-hosting.ts';
import {
	ACCOUNT_FIELD_NAMES,
	CUSTOMER_FIELD_NAMES,
	checkAccountInputs,
	serverChoiceError,
	checkUsernameSyntax,
	type CheckedInputs,
	type FieldNames,
} from './lib/account-inputs.ts';
import { planImport, type ImportPlan, type ImportRow } from './lib/account-import.ts';
import type { ImportReport } from '../shared/wire/import.ts';
import { normalizeAccountRow, readAccountRow, type AccountRow } from './lib/account-rows.ts';
import { passwordColumns, PASSWORD_WIPED, writeAccountState, type CoreContext } from './lib/account-state.ts';
import { writeCallLog } from './lib/call-log.ts';
import {
	abandonedProvisioning,
	claimForProvisioning,
	clearCreateMark,
	dueForProvisioning,
	extendLease,
	isLinkedElsewhere,
	markCreateSending,
	releaseLease,
	type ClaimContext,
} from './lib/claims.ts';
import { chooseServer, type ServerRow } from './lib/server-choice.ts';
import { customerIdentity, readCustomer, type CustomerIdentity, type CustomerMapping } from './lib/customers.ts';
import { compareAccounts, driftKey, type DriftRow, type LocalAccount } from './lib/drift.ts';
import { administrators, notify } from './lib/notifications.ts';
import { runProvisioning, type RunOutcome } from './lib/provisioning-run.ts';
import { requireSetup } from './lib/readiness.ts';
import { sendWelcomeMail, welcomeMailsToRetry } from './lib/welcome-mail.ts';
import type { NextPanelAccount } from './nextpanel/contract.ts';
import { NextPanelFailure } from './nextpanel/failure.ts';
import { NextPanelServersService, type ServerWithSecret } from './nextpanel-servers-service.ts';
import type { Runtime } from './runtime.ts';
import { SECRET_PURPOSES } from './secret-box.ts';
import { sleep } from './lib/backoff.ts';

/** What a provisioning run came to, as every entry point reports it. */
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
}

export interface JobReport {
	job: string;
	processed: number;
	failed: number;
}

/**
 * The one mapping from a provisioning outcome to what an API caller receives: nothing for
 * success (201/200) and `busy` (202), a 502/504 for NextPanel's errors, a 409 for everything that
 * needs a person to change something first.
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

type Payload = Record<string, unknown>;

interface RunOptions {
	/** The generated password was (or is about to be) shown to the caller, so it need not be held. */
	shownToCaller: boolean;
	/** The customer, when the caller has just read it. */
	customer?: CustomerIdentity;
}

export class HostingAccountsService {
	readonly #runtime: Runtime;
	readonly #schema: SchemaOverview;
	readonly #accountability: Accountability | null;
	readonly #knex: Knex;
	readonly #servers: NextPanelServersService;

	constructor({ runtime, schema, accountability, knex = runtime.database }: ServiceOptions) {
		this.#runtime = runtime;
		this.#schema = schema;
		this.#accountability = accountability;
		this.#knex = knex;
		this.#servers = new NextPanelServersService({ runtime, schema, accountability, knex });
	}

	get #core(): CoreContext {
		return { runtime: this.#runtime, schema: this.#schema, knex: this.#knex };
	}

	get #access(): AccessContext {
		return { ...this.#core, accountability: this.#accountability };
	}

	get #actions(): ActionContext {
		return { ...this.#core, servers: this.#servers, causedBy: this.#accountability };
	}

	get #leases(): ClaimContext {
		return { knex: this.#knex, leaseMs: this.#runtime.config.leaseMs };
	}

	#customers(): CustomerMapping {
		return requireSetup(this.#runtime, this.#schema);
	}

	// --- Creating accounts -------------------------------------------------------------------

	/**
	 * Provisions an account for a customer now and waits for the outcome (REST, Flows, the CLI).
	 * The account is created with the caller's own rights, so Directus decides who may provision.
	 */
	async provision(request: ProvisionRequest): Promise<Provisioned> {
		const mapping = this.#customers();
		const customerId = this.#customerKey(request.customer, 'customer', mapping);
		const customer = await this.#readCustomerAsCaller(mapping, customerId);
		const checked = await checkAccountInputs(this.#knex, request, customer, {
			fields: ACCOUNT_FIELD_NAMES,
			passwordMinLength: this.#runtime.config.NEXTPANEL_PASSWORD_MIN_LENGTH,
			serverChosenLater: true,
		});
		const owner = `${this.#runtime.instanceId}:${randomUUID()}`;
		const row = this.#newAccountRow(checked, customerId);
		let created: { id: string; server: ServerRow };
		try {
			// One transaction reserves a slot on the server (locking it) and creates the account
			// already claimed by this request, as the caller, so Directus decides who may provision.
			created = await this.#knex.transaction(async (trx) => {
				const choice = await chooseServer(trx, { server: checked.server, package: checked.package }, { lock: true });
				if ('problem' in choice) throw serverChoiceError(choice.problem, ACCOUNT_FIELD_NAMES, checked.server !== null);
				const accounts = new this.#runtime.services.ItemsService('hosting_accounts', {
					schema: this.#schema,
					accountability: this.#accountability,
					knex: trx,
				});
				// Events are held back: this request runs the provisioning itself, so the item API's
				// "provision new accounts in the background" must not start a second run.
				const id = await accounts.createOne(
					{
						...row,
						server: String(choice.server.id),
						status: 'provisioning',
						lease_owner: owner,
						lease_expires_ms: Date.now() + this.#runtime.config.leaseMs,
						// The first create is counted (and marked as possibly sent) with the row itself.
						create_attempted: true,
						attempts: 1,
					},
					{ emitEvents: false },
				);
				return { id: String(id), server: choice.server };
			});
		} catch (error) {
			if (isDirectusError(error, 'RECORD_NOT_UNIQUE')) {
				throw new StateConflictError({
					reason: `username: "${checked.username}" is already used by another hosting account; choose another or leave it empty`,
				});
			}
			if (isDirectusError(error, 'FORBIDDEN')) throw new ForbiddenError({ reason: 'You are not allowed to create hosting accounts.' });
			throw error;
		}
		const account: AccountRow = {
			id: created.id,
			customer: customerId,
			server: String(created.server.id),
			username: checked.username,
			package: checked.package,
			status: 'provisioning',
			nextpanel_account_id: null,
			remote_billing_id: null,
			attempts: 0,
			create_attempted: false,
			lease_owner: owner,
			lease_expires_ms: null,
			next_attempt_ms: null,
			welcome_mail: null,
			revealable: false,
			password_generated: checked.passwordGenerated,
			password_ciphertext: row['password_ciphertext'] as string,
			user_created: this.#accountability?.user ?? null,
		};
		const result = await this.#runLeased(account, owner, true, {
			shownToCaller: checked.passwordGenerated,
			customer,
			server: created.server,
		});
		const shown = checked.passwordGenerated && result.outcome === 'active';
		return { id: created.id, result, generatedPassword: shown ? checked.password : null };
	}

	/**
	 * A hosting account created through Directus's item API, directly or nested in a customer
	 * save: checks the inputs, completes the username, seals the password, and returns the row
	 * to insert. Provisioning starts once the row is committed (`startProvisioning`).
	 */
	async prepareItemCreate(payload: Payload, fields: FieldNames = ACCOUNT_FIELD_NAMES): Promise<Payload> {
		const mapping = this.#customers();
		await requireCollectionAccess(this.#access, 'hosting_accounts', 'create', 'create hosting accounts');
		this.#refuseManagedFields(payload);
		const parsed = accountCreateSchema.safeParse(payload);
		if (!parsed.success) throw new InvalidPayloadError({ reason: describeIssues(parsed.error, fieldRenames(fields)) });
		const customerId = this.#customerKey(parsed.data.customer, 'customer', mapping);
		const customer = await readCustomer(this.#knex, mapping, customerId);
		if (!customer) throw new InvalidPayloadError({ reason: `customer: there is no customer with id "${customerId}"` });
		const checked = await checkAccountInputs(this.#knex, parsed.data, customer, {
			fields,
			passwordMinLength: this.#runtime.config.NEXTPANEL_PASSWORD_MIN_LENGTH,
		});
		const { password: _password, ...rest } = payload;
		return { ...rest, ...this.#newAccountRow(checked, customerId) };
	}

	/** A customer created with "provision hosting": checks its hosting inputs and adds the account to the save. */
	prepareCustomerCreate(payload: Payload): Promise<Payload> {
		return prepareCustomerCreate(this.#customerHosting(), payload);
	}

	/** A customer update that turns "provision hosting" on: the same, for those without an account. */
	prepareCustomerUpdate(payload: Payload, keys: string[]): Promise<Payload> {
		return prepareCustomerUpdate(this.#customerHosting(), payload, keys);
	}

	#customerHosting(): CustomerHostingContext {
		return {
			knex: this.#knex,
			mapping: () => this.#customers(),
			mayProvision: async (keys) => {
				const mapping = this.#customers();
				if (keys) await requireItemsAccess(this.#access, mapping.collection, 'update', keys, 'change these customers');
				else await requireCollectionAccess(this.#access, mapping.collection, 'create', 'create customers');
				await requireCollectionAccess(this.#access, 'hosting_accounts', 'create', 'provision hosting accounts');
			},
			check: async (inputs, customer) => {
				await checkAccountInputs(this.#knex, inputs, customer, {
					fields: CUSTOMER_FIELD_NAMES,
					passwordMinLength: this.#runtime.config.NEXTPANEL_PASSWORD_MIN_LENGTH,
				});
			},
		};
	}

	/**
	 * Provisions a committed account in the background and tells `notifyUser` how it went. Never
	 * throws: failures are on the account (`last_error`) and in the log.
	 */
	startProvisioning(id: string, notifyUser: string | null): Promise<void> {
		return this.#provisionNow(id, 'provision', { shownToCaller: false })
			.then(async (result) => {
				if (notifyUser) await this.#notifyOutcome(notifyUser, id, result);
			})
			.catch((error: unknown) => {
				this.#runtime.logger.error(
					`nextpanel: background provisioning of hosting account ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
				);
			});
	}

	#newAccountRow(checked: CheckedInputs, customerId: string): Payload {
		return {
			customer: customerId,
			server: checked.server,
			username: checked.username,
			package: checked.package,
			status: 'pending',
			attempts: 0,
			...passwordColumns(this.#runtime.secrets().seal(checked.password, SECRET_PURPOSES.hostingPassword), {
				generated: checked.passwordGenerated,
			}),
		};
	}

	/** A customer id in the type of the customer collection's primary key. */
	#customerKey(value: string | number, field: string, mapping: CustomerMapping): string {
		const text = String(value).trim();
		const valid =
			mapping.primaryType === 'uuid'
				? /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
				: mapping.primaryType === 'string'
					? text.length > 0
					: /^[1-9]\d{0,15}$/.test(text);
		if (!valid) {
			throw new InvalidPayloadError({
				reason: `${field}: must be the id of a customer (${mapping.primaryType === 'uuid' ? 'a UUID' : mapping.primaryType === 'string' ? 'a text' : 'a whole number'})`,
			});
		}
		return text;
	}

	/** The customer as the caller may read it (403 otherwise), with what NextPanel needs of it. */
	async #readCustomerAsCaller(mapping: CustomerMapping, id: string): Promise<CustomerIdentity> {
		if (!this.#accountability || this.#accountability.admin) {
			// Administrators may read every customer: the permission-checked read would only cost time.
			const customer = await readCustomer(this.#knex, mapping, id);
			if (!customer) throw new ItemNotFoundError({ collection: mapping.collection, id });
			return customer;
		}
		const fields = [mapping.primary, mapping.nameField, mapping.emailField, mapping.phoneField, mapping.companyField].filter(
			(f): f is string => f !== null,
		);
		const row = await readAsCaller(this.#access, mapping.collection, id, fields);
		return customerIdentity(mapping, row);
	}

	// --- Provisioning runs -------------------------------------------------------------------

	/** Retries a failed or waiting provisioning now, with a fresh attempt budget. */
	async retry(id: string): Promise<ProvisionResult> {
		this.#customers();
		await requireUpdateAccess(this.#access, 'hosting_accounts', id, 'retry provisioning of this hosting account');
		return this.#provisionNow(id, 'retry', { shownToCaller: false });
	}

	async #provisionNow(id: string, action: 'provision' | 'retry', options: RunOptions): Promise<ProvisionResult> {
		const owner = `${this.#runtime.instanceId}:${randomUUID()}`;
		const claim = await claimForProvisioning(this.#leases, { id, owner, action, resetAttempts: action === 'retry' });
		if (!claim.claimed) {
			if (claim.reason === 'not_found') throw new StateConflictError({ reason: `Hosting account ${id} no longer exists.` });
			if (claim.reason === 'busy') {
				if (action === 'retry')
					throw new StateConflictError({ reason: `Hosting account "${claim.account.username}" is being provisioned right now.` });
				return { outcome: 'busy' };
			}
			if (claim.reason === 'state') {
				if (action === 'retry')
					throw new StateConflictError({ reason: conflictReason('retry', claim.account.username, claim.account.status) });
				return { outcome: 'busy' };
			}
			const { message } = claim as { message: string };
			await writeAccountState(this.#core, { id, patch: { status: 'failed', last_error: message, next_attempt_ms: null } });
			return { outcome: 'failed', reason: message, failure: null };
		}
		return this.#runLeased(claim.account, owner, claim.firstCreatePrepaid ?? false, { ...options, server: claim.server });
	}

	/** Runs a provisioning this owner holds the lease of, and never leaves it held by a run that stopped. */
	async #runLeased(
		account: AccountRow,
		owner: string,
		firstCreatePrepaid: boolean,
		options: RunOptions & { server?: ServerRow | undefined },
	): Promise<ProvisionResult> {
		const id = account.id;
		let result: ProvisionResult | null = null;
		try {
			result = await this.#runClaimed(account, firstCreatePrepaid, owner, options);
			return result;
		} catch (error) {
			// Anything unexpected (a database error, a bug) must not leave the account looking busy
			// until the lease runs out without a word: record it, and let the schedule try again.
			const reason = `Provisioning stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
			this.#runtime.logger.error(`nextpanel: ${reason} (hosting account ${id})`);
			await writeAccountState(this.#core, {
				id,
				patch: { status: 'pending', last_error: reason, next_attempt_ms: Date.now() + this.#runtime.config.NEXTPANEL_RETRY_BASE_MS * 10 },
			});
			throw error;
		} finally {
			if (result?.outcome !== 'active') await releaseLease(this.#leases, id, owner);
		}
	}

	async #runClaimed(
		account: AccountRow,
		firstCreatePrepaid: boolean,
		owner: string,
		options: RunOptions & { server?: ServerRow | undefined },
	): Promise<ProvisionResult> {
		const fail = async (reason: string, failure: NextPanelFailure | null, attempts = account.attempts): Promise<ProvisionResult> => {
			await writeAccountState(this.#core, {
				id: account.id,
				patch: { status: 'failed', last_error: reason, attempts, next_attempt_ms: null },
			});
			return { outcome: 'failed', reason, failure };
		};
		const mapping = this.#customers();
		// What the caller and the claim have read already is not read again.
		const server = options.server
			? this.#servers.withSecret(options.server)
			: account.server
				? await this.#servers.loadWithSecret(account.server)
				: null;
		if (!server) return fail('The NextPanel server of this account no longer exists.', null);
		const customer = options.customer ?? (await readCustomer(this.#knex, mapping, account.customer));
		if (!customer) return fail('The customer of this hosting account no longer exists.', null);
		if (!customer.email)
			return fail(`The customer has no e-mail address (${mapping.emailField}); NextPanel needs one. Add it, then retry.`, null);
		const sealed = account.password_ciphertext;
		if (!sealed) {
			return fail('No password is held for this account (it was created outside Directus); cancel it and provision a new one.', null);
		}
		const password = this.#runtime.secrets().open(sealed, SECRET_PURPOSES.hostingPassword);
		const { config } = this.#runtime;
		const outcome: RunOutcome = await runProvisioning(
			{
				client: this.#servers.clientFor(server, account.id),
				settings: {
					attemptsPerRun: config.NEXTPANEL_ATTEMPTS_PER_RUN,
					attemptsBudget: config.NEXTPANEL_ATTEMPTS_BUDGET,
					retryBaseMs: config.NEXTPANEL_RETRY_BASE_MS,
					retryMaxMs: config.NEXTPANEL_RETRY_MAX_MS,
				},
				markCreateSending: (attempts) => markCreateSending(this.#leases, account.id, attempts),
				clearCreateMark: () => clearCreateMark(this.#leases, account.id),
				extendLease: () => extendLease(this.#leases, account.id, owner),
				isLinkedElsewhere: (remoteId) => isLinkedElsewhere(this.#knex, account.id, server.id, remoteId),
				sleep,
				now: Date.now,
			},
			{
				account,
				firstCreatePrepaid,
				serverName: server.name,
				request: {
					username: account.username,
					email: customer.email,
					password,
					full_name: customer.name,
					phone: customer.phone,
					company: customer.company,
					package_id: account.package,
					is_admin: false,
					billing_id: customer.id,
					metadata: {
						created_from: 'billing_system',
						billing_customer_id: customer.id,
						hosting_account_id: account.id,
						account_type: 'panel',
					},
				},
			},
		);
		switch (outcome.outcome) {
			case 'active':
				await this.#activate(account, outcome.remote, outcome.adopted, outcome.attempts, options);
				return { outcome: 'active', adopted: outcome.adopted };
			case 'failed':
				return fail(outcome.reason, outcome.failure, outcome.attempts);
			case 'retry_scheduled':
				await writeAccountState(this.#core, {
					id: account.id,
					patch: {
						status: 'pending',
						last_error: outcome.reason,
						attempts: outcome.attempts,
						next_attempt_ms: outcome.nextAttemptAt.getTime(),
					},
				});
				return { outcome: 'retry_scheduled', reason: outcome.reason, failure: outcome.failure, nextAttemptAt: outcome.nextAttemptAt };
		}
	}

	async #activate(account: AccountRow, remote: NextPanelAccount, adopted: boolean, attempts: number, options: RunOptions): Promise<void> {
		const mailing = this.#runtime.config.NEXTPANEL_WELCOME_MAIL;
		// A generated password nobody has seen waits for the welcome mail or one reveal; a password
		// a person chose (or just saw) is not needed any more.
		const unseen = account.password_generated && !options.shownToCaller;
		const keep = mailing || unseen;
		await writeAccountState(this.#core, {
			id: account.id,
			patch: {
				status: 'active',
				nextpanel_account_id: remote.id,
				remote_billing_id: remote.billing_id ?? null,
				attempts,
				create_attempted: false,
				next_attempt_ms: null,
				provisioned_at: new Date().toISOString(),
				last_error: null,
				// The run is over: its lease ends with this write rather than a write of its own.
				lease_owner: null,
				lease_expires_ms: null,
				welcome_mail: mailing ? 'pending' : 'skipped',
				...(keep ? { revealable: unseen } : PASSWORD_WIPED),
			},
		});
		if (adopted) {
			// What recovery found, so the call log shows the create that landed without an answer.
			await writeCallLog(
				this.#knex,
				this.#runtime.logger,
				{ server: account.server, hostingAccount: account.id, user: null },
				{
					action: 'adopt_account',
					httpStatus: null,
					durationMs: 0,
					outcome: 'ok',
					errorCode: null,
					message: `Found NextPanel account ${remote.id} ("${remote.username}") after a create whose answer was lost, and adopted it instead of creating another.`,
					request: { method: 'GET', path: '/api/v1/billing/accounts' },
					response: { id: remote.id, username: remote.username, billing_id: remote.billing_id ?? null },
				},
			);
		}
		if (mailing) await sendWelcomeMail(this.#core, { ...account, server: account.server });
	}

	async #notifyOutcome(recipient: string, id: string, result: ProvisionResult): Promise<void> {
		const account = await readAccountRow(this.#knex, id);
		const name = `"${account?.username ?? 'hosting account'}"`;
		const notice =
			result.outcome === 'active'
				? {
						subject: `Hosting account ${name} is active`,
						message: `NextPanel account ${account?.nextpanel_account_id ?? ''}${result.adopted ? ' (found on the server after an interrupted create)' : ''} is ready.${account?.revealable ? '\n\nIts password was generated: open the account and use **Show password once** to give it to the customer.' : ''}`,
					}
				: result.outcome === 'failed'
					? {
							subject: `Provisioning of ${name} failed`,
							message: `${result.reason}\n\nFix the cause, then use **Retry** on the hosting account.`,
						}
					: result.outcome === 'retry_scheduled'
						? { subject: `Provisioning of ${name} is waiting for NextPanel`, message: result.reason }
						: null;
		if (notice) await notify(this.#core, recipient, { collection: 'hosting_accounts', id }, notice);
	}

	// --- Acting on accounts ------------------------------------------------------------------

	async #act(id: string, doing: string, work: (context: ActionContext) => Promise<void>): Promise<void> {
		this.#customers();
		await requireUpdateAccess(this.#access, 'hosting_accounts', id, `${doing} this hosting account`);
		await work(this.#actions);
	}

	suspend(id: string, reason: string | null): Promise<void> {
		return this.#act(id, 'suspend', (context) => suspendAccount(context, id, reason));
	}

	unsuspend(id: string): Promise<void> {
		return this.#act(id, 'unsuspend', (context) => unsuspendAccount(context, id));
	}

	terminate(id: string): Promise<void> {
		return this.#act(id, 'terminate', (context) => terminateAccount(context, id));
	}

	cancel(id: string): Promise<void> {
		return this.#act(id, 'cancel provisioning of', (context) => cancelAccount(context, id));
	}

	syncUsage(id: string): Promise<void> {
		return this.#act(id, 'sync usage of', (context) => syncAccountUsage(context, id));
	}

	/**
	 * The password NextPanel's account was created with, when it was generated and nobody has
	 * seen it: once, to a person who may update the account. Taking it wipes it, atomically, so a
	 * second request (or a concurrent one) gets 410.
	 */
	async revealPassword(id: string): Promise<string> {
		this.#customers();
		await requireUpdateAccess(this.#access, 'hosting_accounts', id, 'reveal the password of this hosting account');
		const row = await this.#knex('hosting_accounts')
			.select('status', 'username', 'server', 'password_ciphertext', 'revealable', 'welcome_mail')
			.where({ id })
			.first();
		const status = row.status as AccountStatus;
		if (!isAllowed('reveal_password', status))
			throw new StateConflictError({ reason: conflictReason('reveal_password', row.username, status) });
		const gone = new PasswordGoneError({
			reason: `No password is held for hosting account "${row.username}": it was shown once already, sent by the welcome mail, or chosen by a person. Set a new one in NextPanel if it was lost.`,
		});
		const held = row.revealable === true || row.revealable === 1 || row.revealable === '1';
		if (!held || !row.password_ciphertext) throw gone;
		const taken = await this.#knex('hosting_accounts')
			.where({ id, password_ciphertext: row.password_ciphertext })
			.update({ ...PASSWORD_WIPED });
		if (taken !== 1) throw gone;
		const password = this.#runtime.secrets().open(row.password_ciphertext, SECRET_PURPOSES.hostingPassword);
		// Through the service as well, so caches, revisions and Flows learn that it is gone.
		await writeAccountState(this.#core, {
			id,
			patch: { ...PASSWORD_WIPED, ...(row.welcome_mail === 'pending' || row.welcome_mail === 'failed' ? { welcome_mail: 'skipped' } : {}) },
			causedBy: this.#accountability,
		});
		await writeCallLog(
			this.#knex,
			this.#runtime.logger,
			{ server: row.server ? String(row.server) : null, hostingAccount: id, user: this.#accountability?.user ?? null },
			{
				action: 'reveal_password',
				httpStatus: null,
				durationMs: 0,
				outcome: 'ok',
				errorCode: null,
				message: `The generated password of "${row.username}" was shown once and then wiped.`,
				request: { method: 'POST', path: `/nextpanel/accounts/${id}/reveal-password` },
				response: null,
			},
		);
		return password;
	}

	/** The account's public fields, as the caller may read them; only id and status for a caller who may create but not read. */
	async readVisible(id: string): Promise<Record<string, unknown>> {
		const accounts = new this.#runtime.services.ItemsService('hosting_accounts', {
			schema: this.#schema,
			accountability: this.#accountability,
			knex: this.#knex,
		});
		const [row] = (await accounts
			.readByQuery({ filter: { id: { _eq: id } }, fields: [...ACCOUNT_PUBLIC_FIELDS], limit: 1 })
			.catch((error: unknown) => {
				if (isDirectusError(error, 'FORBIDDEN')) return [];
				throw error;
			})) as Record<string, unknown>[];
		if (row) return publicAccountFields(row);
		const account = await readAccountRow(this.#knex, id);
		return { id, status: account?.status ?? null };
	}

	// --- Adopting and comparing what a server already has -----------------------------------

	async #remoteAccounts(serverId: string): Promise<{ server: ServerWithSecret; remote: NextPanelAccount[] }> {
		const server = await this.#servers.requireWithSecret(serverId);
		try {
			return { server, remote: await this.#servers.clientFor(server).listAccounts() };
		} catch (error) {
			if (error instanceof NextPanelFailure) throw upstreamError(error);
			throw error;
		}
	}

	/**
	 * Imports the accounts a NextPanel server already has and Directus does not, as hosting
	 * accounts with NextPanel's status, created as the caller (so revisions and activity name
	 * them). Reads NextPanel once and never writes to it. A dry run writes nothing at all.
	 */
	async importFromServer(serverId: string, request: ImportRequest): Promise<ImportReport> {
		const mapping = this.#customers();
		await readAsCaller(this.#access, 'nextpanel_servers', serverId, ['id']);
		await requireCollectionAccess(this.#access, 'hosting_accounts', 'create', 'import hosting accounts');
		if (request.create_customers)
			await requireCollectionAccess(this.#access, mapping.collection, 'create', 'create customers while importing');
		const { server, remote } = await this.#remoteAccounts(serverId);
		const plan = await planImport(this.#knex, mapping, serverId, {
			remote,
			createCustomers: request.create_customers,
			only: request.only,
			capacity: server.capacity,
			serverName: server.name,
		});
		if (!request.dry_run) await this.#carryOut(plan, mapping, server, new Map(remote.map((account) => [account.id, account])));
		return importReport(plan, request.dry_run);
	}

	async #carryOut(
		plan: ImportPlan,
		mapping: CustomerMapping,
		server: ServerWithSecret,
		remote: Map<number, NextPanelAccount>,
	): Promise<void> {
		const asCaller = (collection: string) =>
			new this.#runtime.services.ItemsService(collection, { schema: this.#schema, accountability: this.#accountability, knex: this.#knex });
		const importing = plan.rows.filter((row) => row.action === 'import');
		// One new customer per e-mail, however many accounts share it.
		const newCustomers = new Map<string, ImportRow[]>();
		for (const row of importing.filter((r) => r.match === 'new_customer')) {
			const key = row.email!.toLowerCase();
			newCustomers.set(key, [...(newCustomers.get(key) ?? []), row]);
		}
		const customers = asCaller(mapping.collection);
		for (const batch of chunked([...newCustomers.values()], 500)) {
			const ids = await customers.createMany(
				batch.map((rows) => {
					const account = remote.get(rows[0]!.remote_id);
					return { [mapping.nameField]: account?.full_name || rows[0]!.username, [mapping.emailField]: rows[0]!.email };
				}),
			);
			batch.forEach((rows, index) => rows.forEach((row) => (row.customer = String(ids[index]))));
		}
		const accounts = asCaller('hosting_accounts');
		for (const batch of chunked(importing, 500)) {
			const rows = batch.map((row) => {
				const account = remote.get(row.remote_id)!;
				return {
					customer: row.customer,
					server: server.id,
					username: account.username,
					package: account.package_id ?? null,
					status: account.status,
					nextpanel_account_id: account.id,
					remote_billing_id: account.billing_id ?? null,
					provisioned_at: account.created_at ?? new Date().toISOString(),
					attempts: 0,
					create_attempted: false,
					welcome_mail: 'skipped',
					revealable: false,
					password_generated: false,
				};
			});
			let ids: (string | number)[];
			try {
				// The service's own write of state fields: held-back events keep the item API's guards out of it.
				ids = await accounts.createMany(rows, { emitEvents: false });
			} catch (error) {
				if (isDirectusError(error, 'RECORD_NOT_UNIQUE')) {
					throw new StateConflictError({
						reason: 'Another import or provisioning took some of these usernames meanwhile; run the import again.',
					});
				}
				throw error;
			}
			batch.forEach((row, index) => (row.hosting_account = String(ids[index])));
		}
	}

	/** The differences between Directus and NextPanel for one server; writes nothing anywhere. */
	async driftOf(serverId: string): Promise<DriftRow[]> {
		this.#customers();
		await readAsCaller(this.#access, 'nextpanel_servers', serverId, ['id']);
		await requireCollectionAccess(this.#access, 'hosting_accounts', 'read', 'compare hosting accounts with NextPanel');
		const { remote } = await this.#remoteAccounts(serverId);
		return compareAccounts(await this.#localAccounts(serverId), remote);
	}

	/**
	 * Compares now and keeps the result on the server, as the scheduled check does ("Check now"
	 * in the app), so the server's drift count is current. Writes nothing to either side's accounts.
	 */
	async recordDriftOf(serverId: string): Promise<{ rows: DriftRow[]; checked_at: string }> {
		const rows = await this.driftOf(serverId);
		const checkedAt = new Date().toISOString();
		const previous = await this.#knex('nextpanel_servers').select('name', 'drift_report').where({ id: serverId }).first();
		await this.#storeDrift(serverId, checkedAt, { rows });
		await this.#notifyNewDrift(serverId, String(previous?.name ?? serverId), previousDriftKeys(previous?.drift_report), rows);
		return { rows, checked_at: checkedAt };
	}

	async #storeDrift(serverId: string, checkedAt: string, report: { rows: DriftRow[] } | { error: string }): Promise<void> {
		const sudoServers = new this.#runtime.services.ItemsService('nextpanel_servers', {
			schema: this.#schema,
			knex: this.#knex,
			accountability: null,
		});
		await sudoServers.updateOne(
			serverId,
			{ drift_checked_at: checkedAt, drift_count: 'rows' in report ? report.rows.length : null, drift_report: report },
			{ emitEvents: false },
		);
	}

	async #localAccounts(serverId: string): Promise<LocalAccount[]> {
		const rows: Record<string, unknown>[] = await this.#knex('hosting_accounts')
			.select('id', 'username', 'status', 'nextpanel_account_id', 'remote_billing_id', 'create_attempted', 'customer')
			.where({ server: serverId });
		return rows.map((row) => {
			const account = normalizeAccountRow(row);
			return {
				id: account.id,
				username: account.username,
				status: account.status,
				nextpanel_account_id: account.nextpanel_account_id,
				remote_billing_id: account.remote_billing_id,
				create_attempted: account.create_attempted,
				customer: row['customer'] === null ? null : account.customer,
			};
		});
	}

	markTerminated(id: string): Promise<void> {
		return this.#act(id, 'mark as terminated', (context) => markAccountTerminated(context, id));
	}

	reapplyStatus(id: string): Promise<void> {
		return this.#act(id, "apply Directus's status to NextPanel for", (context) => reapplyAccountStatus(context, id));
	}

	acceptRemoteStatus(id: string): Promise<void> {
		return this.#act(id, "take NextPanel's status for", (context) => acceptRemoteStatus(context, id));
	}

	/** The scheduled drift check of every active server: the latest result is kept on the server; new drift notifies administrators. */
	async checkDriftAll(): Promise<JobReport> {
		const servers: { id: string; name: string; drift_report: unknown }[] = await this.#knex('nextpanel_servers')
			.select('id', 'name', 'drift_report')
			.where({ status: 'active' });
		let failed = 0;
		for (const server of servers) {
			const id = String(server.id);
			let report: { rows: DriftRow[] } | { error: string };
			try {
				const { remote } = await this.#remoteAccounts(id);
				report = { rows: compareAccounts(await this.#localAccounts(id), remote) };
			} catch (error) {
				if (!isDirectusError(error)) throw error;
				failed++;
				report = { error: error.message };
			}
			await this.#storeDrift(id, new Date().toISOString(), report);
			if ('rows' in report) await this.#notifyNewDrift(id, server.name, previousDriftKeys(server.drift_report), report.rows);
		}
		return { job: 'drift', processed: servers.length, failed };
	}

	async #notifyNewDrift(serverId: string, serverName: string, before: Set<string>, rows: DriftRow[]): Promise<void> {
		const fresh = rows.filter((row) => !before.has(driftKey(row)));
		if (fresh.length === 0) return;
		const lines = fresh.slice(0, 10).map((row) => `- ${row.message}`);
		const notice = {
			subject: `NextPanel server "${serverName}": ${fresh.length} new difference${fresh.length === 1 ? '' : 's'} with Directus`,
			message: `${lines.join('\n')}${fresh.length > 10 ? `\n- ... and ${fresh.length - 10} more` : ''}\n\nOpen the NextPanel module to see every difference and fix it.`,
		};
		for (const admin of await administrators(this.#knex))
			await notify(this.#core, admin, { collection: 'nextpanel_servers', id: serverId }, notice);
	}

	// --- Guards for the item API -------------------------------------------------------------

	#refuseManagedFields(payload: Payload): void {
		const touched = ACCOUNT_MANAGED_FIELDS.filter((field) => field in payload);
		if (touched.length) {
			throw new InvalidPayloadError({
				reason: `${touched.join(', ')}: managed by NextPanel provisioning. Use the provision, suspend, unsuspend, terminate, retry, cancel and sync actions instead of editing ${touched.length === 1 ? 'it' : 'them'}.`,
			});
		}
	}

	/** An edit through the item API: state fields are the service's, and a provisioned account keeps its name, server, customer and package. */
	async checkItemUpdate(payload: Payload, keys: string[]): Promise<void> {
		await requireItemsAccess(this.#access, 'hosting_accounts', 'update', keys, 'change these hosting accounts');
		this.#refuseManagedFields(payload);
		if ('username' in payload) {
			if (typeof payload['username'] !== 'string') throw new InvalidPayloadError({ reason: 'username: must be text' });
			checkUsernameSyntax(payload['username'], ACCOUNT_FIELD_NAMES);
		}
		const changingFixed = ACCOUNT_FIXED_ONCE_PROVISIONED.filter((field) => field in payload);
		if (changingFixed.length === 0) return;
		const locked = await this.#knex('hosting_accounts')
			.select('username')
			.whereIn('id', keys)
			.where((q) => q.whereNotIn('status', ['pending', 'failed']).orWhere({ create_attempted: true }));
		if (locked.length) {
			throw new InvalidPayloadError({
				reason: `${changingFixed.join(', ')}: cannot change once an account may exist on NextPanel (${locked.map((r) => `"${r.username}"`).join(', ')}); terminate it and provision a new one instead.`,
			});
		}
	}

	/** Deleting records of accounts that may exist on NextPanel would leave them running there unseen. */
	async checkItemDelete(keys: string[]): Promise<void> {
		await requireItemsAccess(this.#access, 'hosting_accounts', 'delete', keys, 'delete these hosting accounts');
		const live = await this.#knex('hosting_accounts')
			.select('username', 'status')
			.whereIn('id', keys)
			.where((q) =>
				q.whereIn('status', LIVE as AccountStatus[]).orWhere((p) => p.where({ create_attempted: true }).whereNot('status', 'terminated')),
			);
		if (live.length) {
			throw new StateConflictError({
				reason: `Terminate ${live.map((r) => `"${r.username}" (${r.status})`).join(', ')} first: deleting the record would leave the account running on NextPanel.`,
			});
		}
	}

	/** A customer or server can go once none of its hosting accounts is still in use. */
	async checkOwnerDelete(field: 'customer' | 'server', keys: string[]): Promise<void> {
		if (!this.#schema.collections['hosting_accounts']) return;
		const collection = field === 'server' ? 'nextpanel_servers' : this.#runtime.config.NEXTPANEL_CUSTOMERS_COLLECTION;
		await requireItemsAccess(this.#access, collection, 'delete', keys, `delete these ${field === 'server' ? 'servers' : 'customers'}`);
		const inUse = await this.#knex('hosting_accounts').select('username', 'status').whereIn(field, keys).whereNot('status', 'terminated');
		if (inUse.length === 0) return;
		const what =
			field === 'customer'
				? keys.length > 1
					? 'These customers have'
					: 'This customer has'
				: keys.length > 1
					? 'These servers have'
					: 'This server has';
		const names = inUse.slice(0, 10).map((r) => `"${r.username}" (${r.status})`);
		throw new StateConflictError({
			reason: `${what} ${inUse.length} hosting account(s) that are not terminated: ${names.join(', ')}${inUse.length > 10 ? ', ...' : ''}. Terminate them (or cancel those never provisioned) first; terminated accounts stay on record.`,
		});
	}

	// --- Scheduled work (as the system) ------------------------------------------------------

	/** Pending accounts whose retry is due, accounts a crashed run left behind, and due welcome mails. */
	async provisionDue(): Promise<JobReport> {
		const batch = this.#runtime.config.NEXTPANEL_SCHEDULE_BATCH;
		const ids = [...new Set([...(await abandonedProvisioning(this.#knex, batch)), ...(await dueForProvisioning(this.#knex, batch))])];
		// A run that throws has already logged why and left the account for the next tick; here it only counts.
		const outcomes = await mapLimited(ids, 8, (id) => this.#provisionNow(id, 'provision', { shownToCaller: false }).catch(() => null));
		const mails = await welcomeMailsToRetry(this.#core, batch);
		const sent = await mapLimited(mails, 2, async (id) => {
			const account = await readAccountRow(this.#knex, id);
			return account ? sendWelcomeMail(this.#core, account) : 'failed';
		});
		return {
			job: 'retry',
			processed: ids.length + mails.length,
			failed: outcomes.filter((o) => o === null || o.outcome === 'failed').length + sent.filter((s) => s === 'failed').length,
		};
	}

	/** Usage of every active and suspended account, four requests at a time. */
	async syncDueUsage(): Promise<JobReport> {
		// Every live account on each run, a page at a time in key order: the figures on the cards
		// are then never older than one schedule period, and memory stays flat on large fleets.
		const pageSize = this.#runtime.config.NEXTPANEL_SCHEDULE_BATCH * 4;
		let after: string | number | null = null;
		let processed = 0;
		let failed = 0;
		for (;;) {
			const query = this.#knex('hosting_accounts')
				.select('id')
				.whereIn('status', ['active', 'suspended'])
				.whereNotNull('nextpanel_account_id')
				.orderBy('id')
				.limit(pageSize);
			if (after !== null) query.where('id', '>', after);
			const rows: { id: string | number }[] = await query;
			if (rows.length === 0) break;
			after = rows[rows.length - 1]!.id;
			const results = await mapLimited(rows, 4, ({ id }) =>
				syncAccountUsage(this.#actions, String(id)).then(
					() => true,
					(error: unknown) => {
						this.#runtime.logger.warn(
							`nextpanel: usage sync of hosting account ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
						);
						return false;
					},
				),
			);
			processed += rows.length;
			failed += results.filter((ok) => !ok).length;
			if (rows.length < pageSize) break;
		}
		return { job: 'usage', processed, failed };
	}
}

function fieldRenames(fields: FieldNames): Record<string, string> {
	return { server: fields.server, username: fields.username, password: fields.password, package: fields.package };
}

function chunked<T>(items: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
	return result;
}

function importReport(plan: ImportPlan, dryRun: boolean): ImportReport {
	const importing = plan.rows.filter((row) => row.action === 'import');
	return {
		dry_run: dryRun,
		remote_total: plan.remote_total,
		already_linked: plan.already_linked,
		counts: {
			import: importing.length,
			skip: plan.rows.length - importing.length,
			new_customers: new Set(importing.filter((r) => r.match === 'new_customer').map((r) => r.email!.toLowerCase())).size,
			by_billing_id: importing.filter((r) => r.match === 'billing_id').length,
			by_email: importing.filter((r) => r.match === 'email').length,
		},
		rows: plan.rows,
		warnings: plan.warnings,
	};
}

function previousDriftKeys(stored: unknown): Set<string> {
	let report = stored;
	if (typeof stored === 'string') {
		try {
			report = JSON.parse(stored);
		} catch {
			return new Set();
		}
	}
	const rows = (report as { rows?: DriftRow[] } | null)?.rows;
	return new Set(Array.isArray(rows) ? rows.map(driftKey) : []);
}
