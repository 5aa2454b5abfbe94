// Hosting accounts, customers and servers as Directus's item API edits them: state fields are the
// services', a provisioned account keeps its name, server, customer and package, and nothing that
// may still exist on NextPanel can be deleted. The hooks hand every such event to these guards.
import { ACCOUNT_FIXED_ONCE_PROVISIONED, ACCOUNT_MANAGED_FIELDS } from '../../shared/account-fields.ts';
import { LIVE, type AccountStatus } from '../../shared/account-states.ts';
import { requireItemsAccess, type ServiceOptions } from '../access.ts';
import { InvalidPayloadError, StateConflictError } from '../errors.ts';
import { ACCOUNT_FIELD_NAMES, checkUsernameSyntax } from '../lib/account-inputs.ts';
import { AccountContext } from './account-context.ts';

type Payload = Record<string, unknown>;

/** State and bookkeeping fields are written by the services only. */
export function refuseManagedFields(payload: Payload): void {
	const touched = ACCOUNT_MANAGED_FIELDS.filter((field) => field in payload);
	if (touched.length) {
		throw new InvalidPayloadError({
			reason: `${touched.join(', ')}: managed by NextPanel provisioning. Use the provision, suspend, unsuspend, terminate, retry, cancel and sync actions instead of editing ${touched.length === 1 ? 'it' : 'them'}.`,
		});
	}
}

export class AccountItemGuards {
	readonly #context: AccountContext;

	constructor(options: ServiceOptions) {
		this.#context = new AccountContext(options);
	}

	/** An edit through the item API: state fields are the service's, and a provisioned account keeps its name, server, customer and package. */
	async checkItemUpdate(payload: Payload, keys: string[]): Promise<void> {
		const { access, knex } = this.#context;
		await requireItemsAccess(access, 'hosting_accounts', 'update', keys, 'change these hosting accounts');
		refuseManagedFields(payload);
		if ('username' in payload) {
			if (typeof payload['username'] !== 'string') throw new InvalidPayloadError({ reason: 'username: must be text' });
			checkUsernameSyntax(payload['username'], ACCOUNT_FIELD_NAMES);
		}
		const changingFixed = ACCOUNT_FIXED_ONCE_PROVISIONED.filter((field) => field in payload);
		if (changingFixed.length === 0) return;
		const locked = await knex('hosting_accounts')
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
		const { access, knex } = this.#context;
		await requireItemsAccess(access, 'hosting_accounts', 'delete', keys, 'delete these hosting accounts');
		const live = await knex('hosting_accounts')
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
		const { access, knex, schema, runtime } = this.#context;
		if (!schema.collections['hosting_accounts']) return;
		const collection = field === 'server' ? 'nextpanel_servers' : runtime.config.NEXTPANEL_CUSTOMERS_COLLECTION;
		await requireItemsAccess(access, collection, 'delete', keys, `delete these ${field === 'server' ? 'servers' : 'customers'}`);
		const inUse = await knex('hosting_accounts').select('username', 'status').whereIn(field, keys).whereNot('status', 'terminated');
		if (inUse.length === 0) return;
		const many = keys.length > 1;
		const what =
			field === 'customer' ? (many ? 'These customers have' : 'This customer has') : many ? 'These servers have' : 'This server has';
		const names = inUse.slice(0, 10).map((r) => `"${r.username}" (${r.status})`);
		throw new StateConflictError({
			reason: `${what} ${inUse.length} hosting account(s) that are not terminated: ${names.join(', ')}${inUse.length > 10 ? ', ...' : ''}. Terminate them (or cancel those never provisioned) first; terminated accounts stay on record.`,
		});
	}
}
