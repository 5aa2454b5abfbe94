// The life of an account once it exists: suspend, unsuspend, terminate, cancel, usage sync, the
// drift fixes, the one-time reveal of a generated password, and the account as the caller may
// read it. Every method checks the caller's Directus permissions first; the rules of each action
// (leases, the remote identity check, retries) live in core/lib/account-actions.ts.
import { isDirectusError } from '@directus/errors';
import { ACCOUNT_PUBLIC_FIELDS, publicAccountFields } from '../../shared/account-fields.ts';
import { conflictReason, isAllowed, type AccountStatus } from '../../shared/account-states.ts';
import { mayReadAllOf, requireUpdateAccess, type ServiceOptions } from '../access.ts';
import { PasswordGoneError, StateConflictError } from '../errors.ts';
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
} from '../lib/account-actions.ts';
import { storedAccountRow } from '../lib/account-answer.ts';
import { readAccountRow } from '../lib/account-rows.ts';
import { PASSWORD_WIPED, writeAccountState } from '../lib/account-state.ts';
import { writeCallLog } from '../lib/call-log.ts';
import { SECRET_PURPOSES } from '../secret-box.ts';
import { AccountContext } from './account-context.ts';

export class HostingAccountsService {
	readonly #context: AccountContext;

	constructor(options: ServiceOptions) {
		this.#context = new AccountContext(options);
	}

	async #act(id: string, doing: string, work: (context: ActionContext) => Promise<void>): Promise<void> {
		this.#context.customers();
		await requireUpdateAccess(this.#context.access, 'hosting_accounts', id, `${doing} this hosting account`);
		await work(this.#context.actions);
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

	markTerminated(id: string): Promise<void> {
		return this.#act(id, 'mark as terminated', (context) => markAccountTerminated(context, id));
	}

	reapplyStatus(id: string): Promise<void> {
		return this.#act(id, "apply Directus's status to NextPanel for", (context) => reapplyAccountStatus(context, id));
	}

	acceptRemoteStatus(id: string): Promise<void> {
		return this.#act(id, "take NextPanel's status for", (context) => acceptRemoteStatus(context, id));
	}

	/**
	 * The password NextPanel's account was created with, when it was generated and nobody has
	 * seen it: once, to a person who may update the account. Taking it wipes it, atomically, so a
	 * second request (or a concurrent one) gets 410.
	 */
	async revealPassword(id: string): Promise<string> {
		const context = this.#context;
		context.customers();
		await requireUpdateAccess(context.access, 'hosting_accounts', id, 'reveal the password of this hosting account');
		// One transaction: the wipe, the service write that tells caches and revisions, and the
		// audit row land together or not at all, so a password is never gone without its record
		// (or recorded as shown while still held).
		return context.knex.transaction(async (trx) => {
			const row = await trx('hosting_accounts')
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
			const taken = await trx('hosting_accounts')
				.where({ id, password_ciphertext: row.password_ciphertext })
				.update({ ...PASSWORD_WIPED });
			if (taken !== 1) throw gone;
			const password = context.runtime.secrets().open(row.password_ciphertext, SECRET_PURPOSES.hostingPassword);
			const inTransaction = context.within(trx);
			// Through the service as well, so caches, revisions and Flows learn that it is gone.
			await writeAccountState(inTransaction.core, {
				id,
				patch: {
					...PASSWORD_WIPED,
					...(row.welcome_mail === 'pending' || row.welcome_mail === 'failed' ? { welcome_mail: 'skipped' } : {}),
				},
				causedBy: context.accountability,
			});
			await writeCallLog({
				knex: trx,
				logger: context.runtime.logger,
				scope: { server: row.server ? String(row.server) : null, hostingAccount: id, user: context.accountability?.user ?? null },
				record: {
					action: 'reveal_password',
					httpStatus: null,
					durationMs: 0,
					outcome: 'ok',
					errorCode: null,
					message: `The generated password of "${row.username}" was shown once and then wiped.`,
					request: { method: 'POST', path: `/nextpanel/accounts/${id}/reveal-password` },
					response: null,
				},
				required: true,
			});
			return password;
		});
	}

	/**
	 * What `readVisible` would answer, from the columns a request has just written (`Provisioned.written`)
	 * instead of a second query: the same public fields, formatted by Directus's read pipeline.
	 * When the caller's rules or the database leave any doubt, it is `readVisible` itself.
	 */
	async visibleFromWritten(written: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
		const { schema, knex, accountability, runtime } = this.#context;
		const row = storedAccountRow({ schema, knex, written });
		if (!row || !(await mayReadAllOf(this.#context.access, 'hosting_accounts', ACCOUNT_PUBLIC_FIELDS))) {
			return this.readVisible(String(written['id']));
		}
		const payload = new runtime.services.PayloadService('hosting_accounts', { schema, knex, accountability });
		return publicAccountFields((await payload.processValues('read', row)) as Record<string, unknown>);
	}

	/** The account's public fields, as the caller may read them; only id and status for a caller who may create but not read. */
	async readVisible(id: string): Promise<Record<string, unknown>> {
		const { knex } = this.#context;
		const [row] = (await this.#context
			.itemsAsCaller('hosting_accounts')
			.readByQuery({ filter: { id: { _eq: id } }, fields: [...ACCOUNT_PUBLIC_FIELDS], limit: 1 })
			.catch((error: unknown) => {
				if (isDirectusError(error, 'FORBIDDEN')) return [];
				throw error;
			})) as Record<string, unknown>[];
		if (row) return publicAccountFields(row);
		const account = await readAccountRow(knex, id);
		return { id, status: account?.status ?? null };
	}
}
