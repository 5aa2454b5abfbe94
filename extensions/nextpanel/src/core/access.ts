// Who may do what, decided by Directus's own permissions. Services take the caller's
// accountability; `null` is Directus's "no checks" (schedules, internal work), and `sudo` is the
// one spelling of "the system acts on behalf of this person".
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { ForbiddenError, ItemNotFoundError } from './errors.ts';
import type { Runtime } from './runtime.ts';

/**
 * Full rights, still attributed to the person who caused the change, so Directus's activity and
 * revisions name them. Without a person it is the system itself (`null`).
 */
export function sudo(causedBy: Accountability | null): Accountability | null {
	if (causedBy?.user) return { ...causedBy, admin: true };
	return jobOf(causedBy) ? causedBy : null;
}

const JOB_ORIGIN = 'nextpanel-job:';

/**
 * The system acting as one of its scheduled jobs: full rights, and named, so that Directus's
 * activity and revisions (user agent and origin) and the call log say which job changed what.
 */
export function jobAccountability(job: string): Accountability {
	return {
		user: null,
		role: null,
		roles: [],
		admin: true,
		app: false,
		ip: null,
		userAgent: `NextPanel ${job} job`,
		origin: `${JOB_ORIGIN}${job}`,
	} as unknown as Accountability;
}

/** The job an accountability stands for, or null for a person or the anonymous system. */
export function jobOf(accountability: Accountability | null | undefined): string | null {
	const origin = accountability?.origin;
	if (accountability?.user || typeof origin !== 'string' || !origin.startsWith(JOB_ORIGIN)) return null;
	return origin.slice(JOB_ORIGIN.length);
}

export interface AccessContext {
	runtime: Runtime;
	schema: SchemaOverview;
	accountability: Accountability | null;
	knex: Knex;
}

/** What the plugin's services are built from, like Directus's own: `knex` defaults to the runtime's. */
export type ServiceOptions = Omit<AccessContext, 'knex'> & { knex?: Knex };

async function exists(context: AccessContext, collection: string, id: string): Promise<boolean> {
	const primary = context.schema.collections[collection]?.primary ?? 'id';
	return Boolean(await context.knex(collection).select(primary).where(primary, id).first());
}

/**
 * Requires update permission on one item. Like Directus, a caller who is not an administrator
 * gets 403 whether the item is missing or forbidden, so ids cannot be probed; administrators and
 * the system learn that an id is unknown (404).
 */
export async function requireUpdateAccess(context: AccessContext, collection: string, id: string, doing: string): Promise<void> {
	const { accountability } = context;
	if (!accountability || accountability.admin) {
		if (!(await exists(context, collection, id))) throw new ItemNotFoundError({ collection, id });
		return;
	}
	if (!(await mayUpdate(context, collection, id))) throw new ForbiddenError({ reason: `You are not allowed to ${doing}.` });
}

/**
 * Whether the caller may update the item: a result the plugin works out (a connection check,
 * a drift report) is only written on behalf of someone who could have written it themselves.
 */
export async function mayUpdate(context: AccessContext, collection: string, id: string): Promise<boolean> {
	const { accountability } = context;
	if (!accountability || accountability.admin) return true;
	if (!accountability.user) return false;
	const permissions = new context.runtime.services.PermissionsService({
		schema: context.schema,
		accountability,
		knex: context.knex,
	});
	const access = await permissions.getItemPermissions(collection, id);
	return access.update.access;
}

/**
 * Requires update or delete permission on each of the items, before a guard says anything about
 * them: a caller who may not touch an item learns nothing from the plugin's answer either.
 */
export async function requireItemsAccess(
	context: AccessContext,
	collection: string,
	action: 'update' | 'delete',
	ids: string[],
	doing: string,
): Promise<void> {
	const { accountability } = context;
	if (!accountability || accountability.admin) return;
	const refused = new ForbiddenError({ reason: `You are not allowed to ${doing}.` });
	if (!accountability.user) throw refused;
	const permissions = new context.runtime.services.PermissionsService({ schema: context.schema, accountability, knex: context.knex });
	for (const id of ids) {
		const access = await permissions.getItemPermissions(collection, id);
		if (!access[action].access) throw refused;
	}
}

/** Requires permission to update the collection at all (e.g. to test credentials that are not saved yet). */
export async function requireCollectionUpdateAccess(context: AccessContext, collection: string, doing: string): Promise<void> {
	const { accountability } = context;
	if (!accountability || accountability.admin) return;
	if (!accountability.user) throw new ForbiddenError({ reason: `You are not allowed to ${doing}.` });
	const permissions = new context.runtime.services.PermissionsService({
		schema: context.schema,
		accountability,
		knex: context.knex,
	});
	// Without an item, Directus checks whether any of the caller's update rules covers the collection.
	const access = await permissions.getItemPermissions(collection);
	if (!access.update.access)
		throw new ForbiddenError({ reason: `You are not allowed to ${doing}: it needs update permission on ${collection}.` });
}

/** The policies that apply to a person: their own, and their roles'. A subquery, for `whereIn`. */
function policiesOf(knex: Knex, accountability: Accountability) {
	const roles = accountability.roles?.length ? accountability.roles : accountability.role ? [accountability.role] : [];
	return knex('directus_access')
		.select('policy')
		.where((q) => {
			q.where('user', accountability.user!);
			if (roles.length) q.orWhereIn('role', roles);
		});
}

/**
 * Requires a permission on a collection as a whole (creating has no item to check). People
 * cannot read Directus's permission records themselves, so they are read as the system: the
 * rules of the policies attached to the caller and to their roles.
 */
export async function requireCollectionAccess(
	context: AccessContext,
	collection: string,
	action: 'create' | 'read',
	doing: string,
): Promise<void> {
	const { accountability, knex } = context;
	if (!accountability || accountability.admin) return;
	const refused = new ForbiddenError({ reason: `You are not allowed to ${doing}: it needs ${action} permission on ${collection}.` });
	if (!accountability.user) throw refused;
	const policies = policiesOf(knex, accountability);
	const rule = await knex('directus_permissions').select('id').where({ collection, action }).whereIn('policy', policies).first();
	if (!rule) throw refused;
}

/**
 * Whether the caller may read these fields of every item of the collection, so that an item's
 * answer can be built without a read: administrators and the system, or a person with a read rule
 * without an item filter that names all of them (or `*`). Anything this cannot judge is a "no"
 * (the caller then reads the item as usual): a policy limited to IP ranges, or a create preset,
 * which changes what a create stores.
 */
export async function mayReadAllOf(context: AccessContext, collection: string, fields: readonly string[]): Promise<boolean> {
	const { accountability, knex } = context;
	if (!accountability || accountability.admin) return true;
	if (!accountability.user) return false;
	const policies = policiesOf(knex, accountability);
	const rules = (await knex('directus_permissions')
		.join('directus_policies', 'directus_policies.id', 'directus_permissions.policy')
		.select(
			'directus_permissions.action',
			'directus_permissions.fields',
			'directus_permissions.permissions',
			'directus_permissions.presets',
			'directus_policies.ip_access',
		)
		.where('directus_permissions.collection', collection)
		.whereIn('directus_permissions.action', ['read', 'create'])
		.whereIn('directus_permissions.policy', policies)) as {
		action: string;
		fields: unknown;
		permissions: unknown;
		presets: unknown;
		ip_access: unknown;
	}[];
	if (rules.some((rule) => !isEmpty(rule.ip_access) || (rule.action === 'create' && !isEmpty(rule.presets)))) return false;
	return rules.some((rule) => {
		if (rule.action !== 'read' || !isEmpty(rule.permissions)) return false;
		const allowed = typeof rule.fields === 'string' ? rule.fields.split(',') : Array.isArray(rule.fields) ? rule.fields.map(String) : [];
		return allowed.includes('*') || fields.every((field) => allowed.includes(field));
	});
}

/** An unset rule part, as drivers return it: null, '', '{}' or an empty object or list. */
function isEmpty(value: unknown): boolean {
	if (value === null || value === undefined || value === '') return true;
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			return false;
		}
	}
	if (parsed === null) return true;
	return typeof parsed === 'object' && Object.keys(parsed as object).length === 0;
}

/** Reads one item as the caller, with the same 403/404 rule as `requireUpdateAccess`. */
export async function readAsCaller(
	context: AccessContext,
	collection: string,
	id: string,
	fields: string[],
): Promise<Record<string, unknown>> {
	const service = new context.runtime.services.ItemsService(collection, {
		schema: context.schema,
		accountability: context.accountability,
		knex: context.knex,
	});
	const [item] = (await service.readByQuery({
		filter: { [context.schema.collections[collection]?.primary ?? 'id']: { _eq: id } },
		fields,
		limit: 1,
	})) as Record<string, unknown>[];
	if (item) return item;
	if (!context.accountability || context.accountability.admin) throw new ItemNotFoundError({ collection, id });
	throw new ForbiddenError({
		reason: `You are not allowed to read this ${collection === 'hosting_accounts' ? 'hosting account' : 'item'}, or it does not exist.`,
	});
}
