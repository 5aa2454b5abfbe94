// State changes of hosting accounts. Nothing here emits events (`emitEvents: false` or a plain
// update): that is how the service's own writes pass the guards that keep people from editing
// state fields, with no marker in the payload.
// - A change a person caused goes through Directus's ItemsService, so activity and revisions
//   name them.
// - The system's own bookkeeping (a run's outcome, leases, schedules) records no activity or
//   revision either way, so it is one UPDATE, values stored as Directus stores them, and the
//   data cache purged when Directus would purge it. It sits on the hot path of every
//   provisioning, where ItemsService's payload pipeline cost more CPU than the rest of the run.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import type { ACCOUNT_MANAGED_FIELDS } from '../../shared/account-fields.ts';
import { jobOf, sudo } from '../access.ts';
import type { Runtime } from '../runtime.ts';
import { storedTimestamp } from './call-log.ts';

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
	/** The person or named job whose action this is; null when the system keeps its own books (leases, run outcomes). */
	causedBy?: Accountability | null;
}

export async function writeAccountState(context: CoreContext, { id, patch, causedBy = null }: StateWrite): Promise<void> {
	const { runtime, schema, knex } = context;
	// A person, or a named job: through ItemsService, so activity and revisions say who it was.
	if (causedBy?.user || jobOf(causedBy)) {
		const accounts = new runtime.services.ItemsService('hosting_accounts', { schema, knex, accountability: sudo(causedBy) });
		await accounts.updateOne(id, patch, { emitEvents: false });
		return;
	}
	await knex('hosting_accounts').where({ id }).update(storedValues(context, patch));
	if (runtime.purgesDataCache) {
		await new runtime.services.UtilsService({ schema, knex, accountability: SYSTEM_ADMIN }).clearCache({ system: false });
	}
}

/** Clearing the data cache is an administrator's right; the system holds it. */
const SYSTEM_ADMIN = { user: null, role: null, roles: [], admin: true, app: false, ip: null } as unknown as Accountability;

/** Timestamps as Directus stores them; everything else the drivers bind as they are. */
function storedValues({ schema, knex }: CoreContext, patch: AccountPatch): Record<string, unknown> {
	const fields = schema.collections['hosting_accounts']?.fields ?? {};
	const values: Record<string, unknown> = {};
	for (const [field, value] of Object.entries(patch)) {
		const isTimestamp = fields[field]?.type === 'timestamp' || fields[field]?.type === 'dateTime';
		values[field] = isTimestamp && typeof value === 'string' ? storedTimestamp(knex, new Date(value)) : value;
	}
	return values;
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
