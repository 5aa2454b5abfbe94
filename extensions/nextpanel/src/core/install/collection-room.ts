// Directus without a licence allows 25 active collections, and refuses a schema apply that would
// create one more (LIMIT_EXCEEDED), rolling the whole apply back. The plugin then installs what it
// cannot do without and leaves out what it can: the settings singleton, whose policy falls back to
// the NEXTPANEL_OVERDUE_* variables. What it says counts collections as Directus does.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import type { Runtime } from '../runtime.ts';
import type { SchemaDiff } from './schema-additions.ts';

/** Directus 12's active-collection limit without a licence (`@directus/license` CORE_LICENSE). */
export const CORE_COLLECTION_LIMIT = 25;

/** Collections the plugin works without; each is left out, in this order, when there is no room. */
export const OPTIONAL_COLLECTIONS = ['nextpanel_settings'] as const;

const SCHEMA_ADMIN = { admin: true, app: false, user: null, role: null, roles: [], ip: null } as unknown as Accountability;

export function isCollectionLimit(error: unknown): boolean {
	const extensions = (error as { extensions?: { category?: unknown } } | null)?.extensions;
	return (error as { code?: unknown } | null)?.code === 'LIMIT_EXCEEDED' && extensions?.category === 'collections';
}

/** The collections Directus counts against the limit: tables with metadata, active, not its own. */
export async function activeCollections(runtime: Runtime, knex: Knex, schema: SchemaOverview): Promise<string[]> {
	const service = new runtime.services.CollectionsService({ knex, schema, accountability: SCHEMA_ADMIN });
	const collections = (await service.readByQuery()) as { collection: string; schema: unknown; meta: { status?: string } | null }[];
	return collections
		.filter((entry) => entry.schema !== null && entry.meta !== null && entry.meta.status === 'active')
		.map((entry) => entry.collection)
		.filter((name) => !name.startsWith('directus_'));
}

/** The diff without one collection and everything that belongs to it. */
export function withoutCollection(diff: SchemaDiff, collection: string): SchemaDiff {
	const elsewhere = (entry: { collection: string }) => entry.collection !== collection;
	return {
		...diff,
		collections: diff.collections.filter(elsewhere),
		fields: diff.fields.filter(elsewhere),
		relations: diff.relations.filter(elsewhere),
	};
}

/** Why nothing was installed, with the numbers an administrator needs to make room. */
export function noRoomProblem({ active, needed }: { active: string[]; needed: string[] }): string {
	return (
		`Directus refused to create ${needed.length} more collection(s) (${needed.join(', ')}): this project has ${active.length} active collections, ` +
		`and Directus without a licence allows ${CORE_COLLECTION_LIMIT}. Make room by deleting collections you no longer use, ` +
		`or by setting their status to inactive, or add a Directus licence; then restart Directus.`
	);
}

/** What the module and the log say when an optional collection had no room. */
export function leftOutNotice(collection: string): string {
	return (
		`${collection} was not installed: this project has no room for another active collection (Directus without a licence allows ${CORE_COLLECTION_LIMIT}). ` +
		`The overdue policy comes from the NEXTPANEL_OVERDUE_* variables, or their defaults; make room and restart Directus to edit it in the app.`
	);
}

/**
 * What the status route adds about room for collections, derived from the schema as readiness is:
 * why required collections are missing when the project is at the limit, and which optional one
 * was left out.
 */
export async function collectionRoomNotes(
	runtime: Runtime,
	schema: SchemaOverview,
	{ missingRequired }: { missingRequired: readonly string[] },
): Promise<{ problems: string[]; notices: string[] }> {
	const missingOptional = OPTIONAL_COLLECTIONS.filter((name) => !schema.collections[name]);
	if (missingRequired.length === 0 && missingOptional.length === 0) return { problems: [], notices: [] };
	const active = await activeCollections(runtime, runtime.database, schema);
	if (missingRequired.length) {
		const full = active.length + missingRequired.length > CORE_COLLECTION_LIMIT;
		return { problems: full ? [noRoomProblem({ active, needed: [...missingRequired] })] : [], notices: [] };
	}
	const full = active.length + missingOptional.length > CORE_COLLECTION_LIMIT;
	return {
		problems: [],
		notices: missingOptional.map((name) =>
			full
				? leftOutNotice(name)
				: `${name} is not installed; restart Directus to install it. Until then the overdue policy comes from the NEXTPANEL_OVERDUE_* variables, or their defaults.`,
		),
	};
}
