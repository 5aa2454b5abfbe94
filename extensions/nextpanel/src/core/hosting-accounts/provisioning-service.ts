// Provisioning hosting accounts: creating them (REST, Flows, the CLI, the item API and a customer
// saved with "provision hosting"), running the provisioning against NextPanel under a lease,
// activating what landed and telling the person who asked. Built like Directus's services; a
// service built with `accountability: null` is the system (name it `sudo...` at the call site).
import { isDirectusError } from '@directus/errors';
import { randomUUID } from 'node:crypto';
import { accountCreateSchema, describeIssues, type ProvisionRequest } from '../../shared/api-schemas.ts';
import { publicAccountFields } from '../../shared/account-fields.ts';
import { conflictReason } from '../../shared/account-states.ts';
import type { ServiceOptions } from '../access.ts';
import { readAsCaller, requireCollectionAccess, requireItemsAccess, requireUpdateAccess } from '../access.ts';
import { ForbiddenError, InvalidPayloadError, ItemNotFoundError, StateConflictError } from '../errors.ts';
import {
	ACCOUNT_FIELD_NAMES,
	CUSTOMER_FIELD_NAMES,
	checkAccountInputs,
	serverChoiceError,
	type CheckedInputs,
	type FieldNames,
} from '../lib/account-inputs.ts';
import { readAccountRow, type AccountRow } from '../lib/account-rows.ts';
import { passwordColumns, PASSWORD_WIPED, writeAccountState, type AccountPatch } from '../lib/account-state.ts';
import { sleep } from '../lib/backoff.ts';
import { writeCallLog } from '../lib/call-log.ts';
import { claimForProvisioning, clearCreateMark, extendLease, isLinkedElsewhere, markCreateSending, releaseLease } from '../lib/claims.ts';
import { prepareCustomerCreate, prepareCustomerUpdate, type CustomerHostingContext } from '../lib/customer-hosting.ts';
import { customerIdentity, readCustomer, type CustomerIdentity, type CustomerMapping } from '../lib/customers.ts';
import { notify } from '../lib/notifications.ts';
import { runProvisioning, type RunOutcome } from '../lib/provisioning-run.ts';
import { chooseServer, type ServerRow } from '../lib/server-choice.ts';
import { deliverWelcomeMail } from '../lib/welcome-mail.ts';
import type { NextPanelAccount } from '../nextpanel/contract.ts';
import type { NextPanelFailure } from '../nextpanel/failure.ts';
import { SECRET_PURPOSES } from '../secret-box.ts';
import { displayName, escapeMarkdown } from '../lib/markdown.ts';
import { AccountContext } from './account-context.ts';
import { refuseManagedFields } from './account-item-guards.ts';
import type { Provisioned, ProvisionResult } from './provisioning-result.ts';

type Payload = Record<string, unknown>;

interface RunOptions {
	/** The generated password was (or is about to be) shown to the caller, so it need not be held. */
	shownToCaller: boolean;
	/** The customer, when the caller has just read it. */
	customer?: CustomerIdentity;
	/** The server, when the claim or the caller has just read it. */
	server?: ServerRow;
}

interface LeasedRun extends RunOptions {
	account: AccountRow;
	/** Who holds the lease: this run. */
	owner: string;
	/** The row was created already counting its first create attempt. */
	firstCreatePrepaid: boolean;
}

/** A run's outcome, and on activation the columns it wrote. */
interface RunResult {
	result: ProvisionResult;
	activated: AccountPatch | null;
}

interface Activation {
	account: AccountRow;
	remote: NextPanelAccount;
	adopted: boolean;
	attempts: number;
	shownToCaller: boolean;
}

export class ProvisioningService {
	readonly #context: AccountContext;

	constructor(options: ServiceOptions) {
		this.#context = new AccountContext(options);
	}

	/**
	 * Provisions an account for a customer now and waits for the outcome (REST, Flows, the CLI).
	 * The account is created with the caller's own rights, so Directus decides who may provision.
	 */
	async provision(request: ProvisionRequest): Promise<Provisioned> {
		const context = this.#context;
		const mapping = context.customers();
		const customerId = customerKey(request.customer, 'customer', mapping);
		const customer = await this.#readCustomerAsCaller(mapping, customerId);
		const checked = await checkAccountInputs(context.knex, request, customer, {
			fields: ACCOUNT_FIELD_NAMES,
			passwordMinLength: context.runtime.config.NEXTPANEL_PASSWORD_MIN_LENGTH,
			serverChosenLater: true,
		});
		const owner = `${context.runtime.instanceId}:${randomUUID()}`;
		const row = this.#newAccountRow(checked, customerId);
		// Directus's date-created and user-created values, set here so that the answer can name them
		// without reading the row back.
		const createdAt = new Date().toISOString();
		const createdBy = context.accountability?.user ?? null;
		let created: { id: string; server: ServerRow; values: Payload };
		try {
			// One transaction reserves a slot on the server (locking it) and creates the account
			// already claimed by this request, as the caller, so Directus decides who may provision.
			created = await context.knex.transaction(async (trx) => {
				const choice = await chooseServer(trx, { server: checked.server, package: checked.package }, { lock: true });
				if ('problem' in choice)
					throw serverChoiceError({ problem: choice.problem, fields: ACCOUNT_FIELD_NAMES, chosen: checked.server !== null });
				// Events are held back: this request runs the provisioning itself, so the item API's
				// "provision new accounts in the background" must not start a second run.
				const values: Payload = {
					...row,
					server: String(choice.server.id),
					status: 'provisioning',
					lease_owner: owner,
					lease_expires_ms: Date.now() + context.runtime.config.leaseMs,
					// The first create is counted (and marked as possibly sent) with the row itself.
					create_attempted: true,
					attempts: 1,
				};
				const id = await context.itemsAsCaller('hosting_accounts', trx).createOne(values, {
					emitEvents: false,
					overwriteDefaults: { _user: createdBy as string, _date: createdAt },
				});
				return { id: String(id), server: choice.server, values };
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
			user_created: context.accountability?.user ?? null,
		};
		const { result, activated } = await this.#runLeased({
			account,
			owner,
			firstCreatePrepaid: true,
			shownToCaller: checked.passwordGenerated,
			customer,
			server: created.server,
		});
		const shown = checked.passwordGenerated && result.outcome === 'active';
		return {
			id: created.id,
			result,
			generatedPassword: shown ? checked.password : null,
			// Only the public columns: the sealed password and the bookkeeping never leave the service.
			written: activated
				? publicAccountFields({ ...created.values, ...activated, id: created.id, date_created: createdAt, user_created: createdBy })
				: null,
		};
	}

	/**
	 * A hosting account created through Directus's item API, directly or nested in a customer
	 * save: checks the inputs, completes the username, seals the password, and returns the row
	 * to insert. Provisioning starts once the row is committed (`startProvisioning`).
	 */
	async prepareItemCreate(payload: Payload, fields: FieldNames = ACCOUNT_FIELD_NAMES): Promise<Payload> {
		const context = this.#context;
		const mapping = context.customers();
		await requireCollectionAccess(context.access, 'hosting_accounts', 'create', 'create hosting accounts');
		refuseManagedFields(payload);
		const parsed = accountCreateSchema.safeParse(payload);
		if (!parsed.success) throw new InvalidPayloadError({ reason: describeIssues(parsed.error, fieldRenames(fields)) });
		const customerId = customerKey(parsed.data.customer, 'customer', mapping);
		const customer = await readCustomer(context.knex, mapping, customerId);
		if (!customer) throw new InvalidPayloadError({ reason: `customer: there is no customer with id "${customerId}"` });
		const checked = await checkAccountInputs(context.knex, parsed.data, customer, {
			fields,
			passwordMinLength: context.runtime.config.NEXTPANEL_PASSWORD_MIN_LENGTH,
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
		const context = this.#context;
		return {
			knex: context.knex,
			mapping: () => context.customers(),
			mayProvision: async (keys) => {
				const mapping = context.customers();
				if (keys) await requireItemsAccess(context.access, mapping.collection, 'update', keys, 'change these customers');
				else await requireCollectionAccess(context.access, mapping.collection, 'create', 'create customers');
				await requireCollectionAccess(context.access, 'hosting_accounts', 'create', 'provision hosting accounts');
			},
			check: async (inputs, customer) => {
				await checkAccountInputs(context.knex, inputs, customer, {
					fields: CUSTOMER_FIELD_NAMES,
					passwordMinLength: context.runtime.config.NEXTPANEL_PASSWORD_MIN_LENGTH,
				});
			},
		};
	}

	/**
	 * Provisions a committed account in the background and tells `notifyUser` how it went. Never
	 * throws: failures are on the account (`last_error`) and in the log.
	 */
	startProvisioning(id: string, notifyUser: string | null): Promise<void> {
		return this.provisionStored(id)
			.then(async (result) => {
				if (notifyUser) await this.#notifyOutcome(notifyUser, id, result);
			})
			.catch((error: unknown) => {
				this.#context.runtime.logger.error(
					`nextpanel: background provisioning of hosting account ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
				);
			});
	}

	/** Retries a failed or waiting provisioning now, with a fresh attempt budget. */
	async retry(id: string): Promise<ProvisionResult> {
		this.#context.customers();
		await requireUpdateAccess(this.#context.access, 'hosting_accounts', id, 'retry provisioning of this hosting account');
		return this.#provisionNow(id, 'retry');
	}

	/** Provisions an account already in the database (the background run, the retry schedule). */
	provisionStored(id: string): Promise<ProvisionResult> {
		return this.#provisionNow(id, 'provision');
	}

	#newAccountRow(checked: CheckedInputs, customerId: string): Payload {
		return {
			customer: customerId,
			server: checked.server,
			username: checked.username,
			package: checked.package,
			status: 'pending',
			attempts: 0,
			...passwordColumns(this.#context.runtime.secrets().seal(checked.password, SECRET_PURPOSES.hostingPassword), {
				generated: checked.passwordGenerated,
			}),
		};
	}

	/** The customer as the caller may read it (403 otherwise), with what NextPanel needs of it. */
	async #readCustomerAsCaller(mapping: CustomerMapping, id: string): Promise<CustomerIdentity> {
		const { accountability, knex, access } = this.#context;
		if (!accountability || accountability.admin) {
			// Administrators may read every customer: the permission-checked read would only cost time.
			const customer = await readCustomer(knex, mapping, id);
			if (!customer) throw new ItemNotFoundError({ collection: mapping.collection, id });
			return customer;
		}
		const fields = [mapping.primary, mapping.nameField, mapping.emailField, mapping.phoneField, mapping.companyField].filter(
			(f): f is string => f !== null,
		);
		return customerIdentity(mapping, await readAsCaller(access, mapping.collection, id, fields));
	}

	async #provisionNow(id: string, action: 'provision' | 'retry'): Promise<ProvisionResult> {
		const context = this.#context;
		const owner = `${context.runtime.instanceId}:${randomUUID()}`;
		const claim = await claimForProvisioning(context.leases, { id, owner, action, resetAttempts: action === 'retry' });
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
			await writeAccountState(context.core, { id, patch: { status: 'failed', last_error: message, next_attempt_ms: null } });
			return { outcome: 'failed', reason: message, failure: null };
		}
		const { result } = await this.#runLeased({
			account: claim.account,
			owner,
			firstCreatePrepaid: claim.firstCreatePrepaid ?? false,
			shownToCaller: false,
			...(claim.server ? { server: claim.server } : {}),
		});
		return result;
	}

	/** Runs a provisioning this owner holds the lease of, and never leaves it held by a run that stopped. */
	async #runLeased(run: LeasedRun): Promise<RunResult> {
		const context = this.#context;
		const id = run.account.id;
		let result: RunResult | null = null;
		try {
			result = await this.#runClaimed(run);
			return result;
		} catch (error) {
			// Anything unexpected (a database error, a bug) must not leave the account looking busy
			// until the lease runs out without a word: record it, and let the schedule try again.
			const reason = `Provisioning stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
			context.runtime.logger.error(`nextpanel: ${reason} (hosting account ${id})`);
			await writeAccountState(context.core, {
				id,
				patch: { status: 'pending', last_error: reason, next_attempt_ms: Date.now() + context.runtime.config.NEXTPANEL_RETRY_BASE_MS * 10 },
			});
			throw error;
		} finally {
			if (result?.result.outcome !== 'active') await releaseLease(context.leases, id, run.owner);
		}
	}

	async #runClaimed(run: LeasedRun): Promise<RunResult> {
		const context = this.#context;
		const { account } = run;
		const fail = async (reason: string, failure: NextPanelFailure | null, attempts = account.attempts): Promise<RunResult> => {
			await writeAccountState(context.core, {
				id: account.id,
				patch: { status: 'failed', last_error: reason, attempts, next_attempt_ms: null },
			});
			return { result: { outcome: 'failed', reason, failure }, activated: null };
		};
		const mapping = context.customers();
		// What the caller and the claim have read already is not read again.
		const server = run.server
			? context.servers.withSecret(run.server)
			: account.server
				? await context.servers.loadWithSecret(account.server)
				: null;
		if (!server) return fail('The NextPanel server of this account no longer exists.', null);
		const customer = run.customer ?? (await readCustomer(context.knex, mapping, account.customer));
		if (!customer) return fail('The customer of this hosting account no longer exists.', null);
		if (!customer.email)
			return fail(`The customer has no e-mail address (${mapping.emailField}); NextPanel needs one. Add it, then retry.`, null);
		const sealed = account.password_ciphertext;
		if (!sealed) {
			return fail('No password is held for this account (it was created outside Directus); cancel it and provision a new one.', null);
		}
		const password = context.runtime.secrets().open(sealed, SECRET_PURPOSES.hostingPassword);
		const { config } = context.runtime;
		const leases = context.leases;
		const outcome: RunOutcome = await runProvisioning(
			{
				client: context.servers.clientFor({ server, hostingAccount: account.id }),
				settings: {
					attemptsPerRun: config.NEXTPANEL_ATTEMPTS_PER_RUN,
					attemptsBudget: config.NEXTPANEL_ATTEMPTS_BUDGET,
					retryBaseMs: config.NEXTPANEL_RETRY_BASE_MS,
					retryMaxMs: config.NEXTPANEL_RETRY_MAX_MS,
				},
				markCreateSending: (attempts) => markCreateSending(leases, account.id, attempts),
				clearCreateMark: () => clearCreateMark(leases, account.id),
				extendLease: () => extendLease(leases, account.id, run.owner),
				isLinkedElsewhere: (remoteId) => isLinkedElsewhere(context.knex, account.id, server.id, remoteId),
				sleep,
				now: Date.now,
			},
			{
				account,
				firstCreatePrepaid: run.firstCreatePrepaid,
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
			case 'active': {
				const activated = await this.#activate({
					account,
					remote: outcome.remote,
					adopted: outcome.adopted,
					attempts: outcome.attempts,
					shownToCaller: run.shownToCaller,
				});
				return { result: { outcome: 'active', adopted: outcome.adopted }, activated };
			}
			case 'failed':
				return fail(outcome.reason, outcome.failure, outcome.attempts);
			case 'retry_scheduled':
				await writeAccountState(context.core, {
					id: account.id,
					patch: {
						status: 'pending',
						last_error: outcome.reason,
						attempts: outcome.attempts,
						next_attempt_ms: outcome.nextAttemptAt.getTime(),
					},
				});
				return {
					result: { outcome: 'retry_scheduled', reason: outcome.reason, failure: outcome.failure, nextAttemptAt: outcome.nextAttemptAt },
					activated: null,
				};
		}
	}

	/** Marks the account active (and sends the welcome mail); returns the columns written. */
	async #activate({ account, remote, adopted, attempts, shownToCaller }: Activation): Promise<AccountPatch> {
		const context = this.#context;
		const mailing = context.runtime.config.NEXTPANEL_WELCOME_MAIL;
		// A generated password nobody has seen waits for the welcome mail or one reveal; a password
		// a person chose (or just saw) is not needed any more.
		const unseen = account.password_generated && !shownToCaller;
		const keep = mailing || unseen;
		const patch: AccountPatch = {
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
		};
		await writeAccountState(context.core, { id: account.id, patch });
		if (adopted) {
			// What recovery found, so the call log shows the create that landed without an answer.
			await writeCallLog({
				knex: context.knex,
				logger: context.runtime.logger,
				scope: { server: account.server, hostingAccount: account.id, user: null },
				record: {
					action: 'adopt_account',
					httpStatus: null,
					durationMs: 0,
					outcome: 'ok',
					errorCode: null,
					message: `Found NextPanel account ${remote.id} ("${remote.username}") after a create whose answer was lost, and adopted it instead of creating another.`,
					request: { method: 'GET', path: '/api/v1/billing/accounts' },
					response: { id: remote.id, username: remote.username, billing_id: remote.billing_id ?? null },
				},
			});
		}
		if (!mailing) return patch;
		const mailed = await deliverWelcomeMail(context.core, { ...account, server: account.server });
		return { ...patch, ...mailed.patch };
	}

	async #notifyOutcome(recipient: string, id: string, result: ProvisionResult): Promise<void> {
		const account = await readAccountRow(this.#context.knex, id);
		// Usernames may come from NextPanel (an import, a recovery): escaped like all remote text in markdown.
		const name = displayName(account?.username ?? 'hosting account');
		const notice =
			result.outcome === 'active'
				? {
						subject: `Hosting account ${name} is active`,
						message: `${escapeMarkdown(name)} is ready on NextPanel (account ${account?.nextpanel_account_id ?? ''})${result.adopted ? ', found on the server after an interrupted create' : ''}.${account?.revealable ? '\n\nIts password was generated: open the account and use **Show password once** to give it to the customer.' : ''}`,
					}
				: result.outcome === 'failed'
					? {
							subject: `Provisioning of ${name} failed`,
							message: `${escapeMarkdown(result.reason)}\n\nFix the cause, then use **Retry** on the hosting account.`,
						}
					: result.outcome === 'retry_scheduled'
						? { subject: `Provisioning of ${name} is waiting for NextPanel`, message: escapeMarkdown(result.reason) }
						: null;
		if (notice) await notify(this.#context.core, recipient, { collection: 'hosting_accounts', id }, notice);
	}
}

/** A customer id in the type of the customer collection's primary key. */
function customerKey(value: string | number, field: string, mapping: CustomerMapping): string {
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

function fieldRenames(fields: FieldNames): Record<string, string> {
	return { server: fields.server, username: fields.username, password: fields.password, package: fields.package };
}
