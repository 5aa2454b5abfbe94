// The plugin's schema as it should be in this project: the reviewed reference
// (snapshots/schema.yaml, inlined at build time), adapted to where the plugin attaches. With a
// customer collection of the host's own, only the plugin's fields go onto it, and hosting
// accounts point at it with a key of the same type as its primary key.
import { PLUGIN_CUSTOMER_FIELDS } from './customer-fields.ts';
import reference from '../../../../../snapshots/schema.yaml';
import type { CustomerMapping } from '../lib/customers.ts';

export interface SnapshotCollection {
	collection: string;
	meta: Record<string, unknown> | null;
	schema: Record<string, unknown> | null;
}

export interface SnapshotField {
	collection: string;
	field: string;
	type: string;
	meta: Record<string, unknown> | null;
	schema: Record<string, unknown> | null;
}

export interface SnapshotRelation {
	collection: string;
	field: string;
	related_collection: string | null;
	meta: Record<string, unknown> | null;
	schema: Record<string, unknown> | null;
}

export interface Snapshot {
	version: number;
	directus: string;
	vendor?: string;
	collections: SnapshotCollection[];
	fields: SnapshotField[];
	relations: SnapshotRelation[];
}

export const REFERENCE = reference as Snapshot;

/** The reference's own name for the customer collection. */
export const REFERENCE_CUSTOMERS = 'customers';

export { PLUGIN_CUSTOMER_FIELDS };

/** The collections that belong to the plugin whatever the project. */
export const PLUGIN_COLLECTIONS = REFERENCE.collections.map((c) => c.collection).filter((name) => name !== REFERENCE_CUSTOMERS);

export interface AttachTarget {
	/** The customer collection's name (NEXTPANEL_CUSTOMERS_COLLECTION). */
	collection: string;
	/** Whether the plugin created that collection itself (then all of the reference's customer fields are its own). */
	createdByPlugin: boolean;
	/** The existing collection's primary key, when it exists. */
	existing: Pick<CustomerMapping, 'primary' | 'primaryType' | 'nameField' | 'emailField'> | null;
	/** The highest `sort` among the existing collection's fields, so the plugin's come after them. */
	maxSort: number;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function renameCustomers<T extends { collection: string }>(item: T, to: string): T {
	return item.collection === REFERENCE_CUSTOMERS ? { ...item, collection: to } : item;
}

/** The key field of hosting_accounts.customer, typed like the customer collection's primary key. */
function customerKeyField(field: SnapshotField, target: AttachTarget): SnapshotField {
	const result = clone(field);
	result.schema = { ...(result.schema ?? {}), foreign_key_table: target.collection, foreign_key_column: target.existing?.primary ?? 'id' };
	const type = target.existing?.primaryType;
	if (type === 'integer' || type === 'bigInteger') {
		result.type = type;
		result.schema = {
			...result.schema,
			data_type: type === 'integer' ? 'integer' : 'bigint',
			max_length: null,
			numeric_precision: null,
			numeric_scale: null,
		};
	} else if (type === 'string') {
		result.type = 'string';
		result.schema = { ...result.schema, data_type: 'varchar', max_length: 255 };
	}
	if (target.existing && type !== 'uuid') {
		// A host's display templates name its own fields.
		const template = `{{${target.existing.nameField}}}`;
		result.meta = {
			...(result.meta ?? {}),
			display_options: { template },
			options: { template: `${template} <{{${target.existing.emailField}}}>` },
		};
	}
	return result;
}

/**
 * A key that points at a UUID primary key is a UUID itself. SQLite reports such columns as
 * char(36) strings, and Directus turns them back into UUIDs when it creates a collection; a
 * field added to an existing collection needs it said, or PostgreSQL refuses the foreign key.
 */
function asUuidKey(field: SnapshotField): SnapshotField {
	const schema = field.schema;
	if (!schema || !schema['foreign_key_table'] || schema['max_length'] !== 36) return field;
	if (!['char', 'varchar'].includes(String(schema['data_type']).toLowerCase())) return field;
	return { ...field, type: 'uuid', schema: { ...schema, data_type: 'uuid', max_length: null } };
}

/** The schema the plugin wants in this project. */
export function wantedSchema(target: AttachTarget): Snapshot {
	const attachToHost = target.existing !== null && !target.createdByPlugin;
	const ownsCustomerField = (field: SnapshotField) =>
		!attachToHost || field.collection !== REFERENCE_CUSTOMERS || PLUGIN_CUSTOMER_FIELDS.includes(field.field);
	const collections = REFERENCE.collections
		.filter((c) => c.collection !== REFERENCE_CUSTOMERS || target.existing === null)
		.map((c) => renameCustomers(clone(c), target.collection))
		.map((c) =>
			c.collection === target.collection
				? { ...c, schema: { name: target.collection }, meta: { ...(c.meta ?? {}), collection: target.collection } }
				: c,
		);
	const fields = REFERENCE.fields.filter(ownsCustomerField).map((field) => {
		let result = renameCustomers(clone(field), target.collection);
		if (result.collection === target.collection) {
			result.meta = { ...(result.meta ?? {}), collection: target.collection };
			if (result.schema) result.schema = { ...result.schema, table: target.collection };
			if (attachToHost && typeof result.meta['sort'] === 'number' && result.meta['group'] === null) {
				result.meta = { ...result.meta, sort: target.maxSort + (result.meta['sort'] as number) };
			}
		}
		if (result.collection === 'hosting_accounts' && result.field === 'customer') result = customerKeyField(result, target);
		return asUuidKey(result);
	});
	const relations = REFERENCE.relations.map((relation) => {
		const result = renameCustomers(clone(relation), target.collection);
		if (result.related_collection === REFERENCE_CUSTOMERS) result.related_collection = target.collection;
		if (result.meta) {
			if (result.meta['many_collection'] === REFERENCE_CUSTOMERS) result.meta['many_collection'] = target.collection;
			if (result.meta['one_collection'] === REFERENCE_CUSTOMERS) result.meta['one_collection'] = target.collection;
		}
		if (result.schema) {
			if (result.schema['table'] === REFERENCE_CUSTOMERS) result.schema['table'] = target.collection;
			if (result.schema['foreign_key_table'] === REFERENCE_CUSTOMERS) result.schema['foreign_key_table'] = target.collection;
			if (result.related_collection === target.collection && target.existing) result.schema['foreign_key_column'] = target.existing.primary;
			result.schema['constraint_name'] = null;
		}
		return result;
	});
	return { version: 2, directus: REFERENCE.directus, collections, fields, relations };
}
