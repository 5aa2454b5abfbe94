// State changes of hosting accounts. They go through Directus's ItemsService, so the cache is
// purged and, when a person caused the change, activity and revisions name them. Events are
// held back (`emitEvents: false`): that is how the service's own writes pass the guards that
// keep people from editing state fields, with no marker in the payload.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import type { ACCOUNT_MANAGED_FIELDS } from '../../shared/account-fields.ts';
import { sudo } from '../access.ts';
import type { Runtime } from '../runtime.ts';

export interface CoreContext {
	runtime: Runtime;
	schema: SchemaOverview;
	knex: Knex;
}

type ManagedField = (typeof ACCOUNT_MANAGED_FIELDS)[number];
export type AccountPatch = Partial<Record<ManagedField | 'server', unknown>>;

export interface StateWrite {
	id: string;
	patch: AccountPatch;
	/** The person whose action this is; null when the system acts on its own (schedules, background runs). */
	causedBy?: Accountability | null;
}

export async function writeAccountState(context: CoreContext, { id, patch, causedBy = null }: StateWrite): Promise<void> {
	const { runtime, schema, knex } = context;
	const accountability = sudo(causedBy);
	const accounts = new runtime.services.ItemsService('hosting_accounts', { schema, knex, accountability });
	await accounts.updateOne(id, patch, { emitEvents: false });
}

/** The password columns, always written together: held for a person, or gone. */
export function passwordColumns(sealed: string | null, options: { generated?: boolean; revealable?: boolean } = {}): AccountPatch {
	return {
		password_ciphertext: sealed,
		revealable: sealed !== null && (options.revealable ?? false),
		...(options.generated === undefined ? {} : { password_generated: options.generated }),
	};
}

export const PASSWORD_WIPED: AccountPatch = { password_ciphertext: null, revealable: false };
