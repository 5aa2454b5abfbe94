// State changes of hosting accounts go through Directus's ItemsService so that Flows see them,
// the cache is purged and, when a person caused the change, revisions and activity name them.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Runtime } from '../runtime.ts';
import { asCoreWrite } from '../scopes.ts';

/** The person who caused a change, with the rights the core needs to record it. */
export function attributedSudo(accountability: Accountability | null): Accountability | null {
	return accountability?.user ? { ...accountability, admin: true } : null;
}

/** `schema` saves a getSchema() call (about a millisecond) when the caller already has one. */
export async function writeAccountState(
	runtime: Runtime,
	id: string,
	data: Record<string, unknown>,
	causedBy: Accountability | null,
	schema?: SchemaOverview,
): Promise<void> {
	schema ??= await runtime.getSchema();
	const accounts = new runtime.services.ItemsService('hosting_accounts', {
		schema,
		knex: runtime.database,
		accountability: attributedSudo(causedBy),
	});
	await accounts.updateOne(id, asCoreWrite(data));
}
