// Permission checks that Directus's services do not make on their own: "may this caller change
// this hosting account?" before a lifecycle action reaches NextPanel. A null accountability is
// Directus's own "no checks" (system jobs, Flows with full access) and passes.
import type { Accountability, SchemaOverview } from '@directus/types';
import { isDirectusError } from '@directus/errors';
import { ForbiddenError, ItemNotFoundError } from './errors.ts';
import type { Runtime } from './runtime.ts';

/** Reads an item as the caller; tells "does not exist" (404) from "not yours to read" (403). */
export async function readAsCaller(
	runtime: Runtime,
	schema: SchemaOverview,
	accountability: Accountability | null,
	collection: string,
	id: string,
	fields: string[],
): Promise<Record<string, unknown>> {
	const service = new runtime.services.ItemsService(collection, { schema, accountability, knex: runtime.database });
	try {
		return await service.readOne(id, { fields });
	} catch (error) {
		if (!isDirectusError(error, 'FORBIDDEN')) throw error;
		const exists = await runtime
			.database(collection)
			.select('id')
			.where({ id })
			.first()
			.catch(() => null);
		if (!exists) throw new ItemNotFoundError({ collection, id });
		throw error;
	}
}

export async function requireUpdateAccess(
	runtime: Runtime,
	schema: SchemaOverview,
	accountability: Accountability | null,
	collection: string,
	id: string | null,
	doing: string,
): Promise<void> {
	if (!accountability || accountability.admin) return;
	if (!accountability.user) throw new ForbiddenError({ reason: `You are not allowed to ${doing}.` });
	const permissions = new runtime.services.PermissionsService({ schema, accountability, knex: runtime.database });
	const access = await permissions.getItemPermissions(collection, id ?? undefined);
	if (!access.update.access)
		throw new ForbiddenError({ reason: `You are not allowed to ${doing}: it needs update permission on ${collection}.` });
}

/** Checks the caller may read and update the account, with 404 for an unknown id. */
export async function requireAccountAccess(
	runtime: Runtime,
	schema: SchemaOverview,
	accountability: Accountability | null,
	id: string,
	doing: string,
): Promise<void> {
	await readAsCaller(runtime, schema, accountability, 'hosting_accounts', id, ['id']);
	await requireUpdateAccess(runtime, schema, accountability, 'hosting_accounts', id, `${doing} this hosting account`);
}
