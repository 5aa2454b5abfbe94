// What versions before the system-collection guard may have put on a Directus system collection
// when NEXTPANEL_CUSTOMERS_COLLECTION named one (`directus_users`): the plugin's customer fields,
// the customer link of hosting accounts, the operator policy's create/read/update and a list
// preset. Found by the plugin's own marks only (its field names with its interfaces, its logged
// policy and presets), so a field an administrator added there is never taken for one of these.
import type { Knex } from 'knex';
import { PLUGIN_CUSTOMER_FIELDS } from './customer-fields.ts';
import { PLUGIN_COLLECTIONS, REFERENCE, REFERENCE_CUSTOMERS } from './plugin-schema.ts';
import type { CreatedItem } from './step-log.ts';

export type WrongTouch =
	| { kind: 'field'; collection: string; field: string; group: boolean }
	| { kind: 'relation'; collection: string; field: string; related: string; linked: number }
	| { kind: 'permission'; id: number; collection: string; action: string; policy: string }
	| { kind: 'preset'; id: number; collection: string };

const SYSTEM = /^directus_/;

/** Interface and note of each of the plugin's customer fields, as the reference defines them: its mark. */
const PLUGIN_MARKS = new Map(
	REFERENCE.fields
		.filter((field) => field.collection === REFERENCE_CUSTOMERS && PLUGIN_CUSTOMER_FIELDS.includes(field.field))
		.map((field) => [field.field, JSON.stringify([field.meta?.['interface'] ?? null, field.meta?.['note'] ?? null])]),
);

export function describeTouch(touch: WrongTouch): string {
	switch (touch.kind) {
		case 'field':
			return `field ${touch.collection}.${touch.field}`;
		case 'relation':
			return `relation ${touch.collection}.${touch.field} → ${touch.related} (${touch.linked} account(s) linked to it: the link is made again to the customer collection, and the accounts are kept, unlinked)`;
		case 'permission':
			return `${touch.action} permission of the policy "${touch.policy}" on ${touch.collection}`;
		case 'preset':
			return `list preset #${touch.id} of ${touch.collection}`;
	}
}

export async function findWrongTouches(knex: Knex, logged: readonly CreatedItem[]): Promise<WrongTouch[]> {
	const touches: WrongTouch[] = [];

	const fields: { collection: string; field: string; interface: string | null; note: string | null; special: string | null }[] = await knex(
		'directus_fields',
	)
		.select('collection', 'field', 'interface', 'note', 'special')
		.where('collection', 'like', 'directus%')
		.whereIn('field', [...PLUGIN_CUSTOMER_FIELDS]);
	for (const field of fields) {
		if (!SYSTEM.test(field.collection) || PLUGIN_MARKS.get(field.field) !== JSON.stringify([field.interface, field.note])) continue;
		touches.push({ kind: 'field', collection: field.collection, field: field.field, group: String(field.special ?? '').includes('group') });
	}

	const relations: { many_collection: string; many_field: string; one_collection: string | null }[] = await knex('directus_relations')
		.select('many_collection', 'many_field', 'one_collection')
		.whereIn('many_collection', PLUGIN_COLLECTIONS)
		.where({ many_field: 'customer' });
	for (const relation of relations) {
		if (!relation.one_collection || !SYSTEM.test(relation.one_collection)) continue;
		const linked = await knex(relation.many_collection).whereNotNull(relation.many_field).count({ n: '*' }).first();
		touches.push({
			kind: 'relation',
			collection: relation.many_collection,
			field: relation.many_field,
			related: relation.one_collection,
			linked: Number(linked?.n ?? 0),
		});
	}

	// The operator policy got create, read and update together on the customer collection; an
	// administrator's own grant on a system collection rarely looks like that, and is left alone.
	const policies = logged.filter((item) => item.kind === 'policy').map((item) => item.name);
	if (policies.length) {
		const permissions: { id: number; collection: string; action: string; policy: string; name: string }[] = await knex(
			'directus_permissions',
		)
			.join('directus_policies', 'directus_policies.id', 'directus_permissions.policy')
			.select('directus_permissions.id', 'collection', 'action', 'policy', 'directus_policies.name')
			.whereIn('policy', policies)
			.where('collection', 'like', 'directus%')
			.whereIn('action', ['create', 'read', 'update']);
		const byGrant = new Map<string, typeof permissions>();
		for (const permission of permissions) {
			if (!SYSTEM.test(permission.collection)) continue;
			const key = `${permission.policy}|${permission.collection}`;
			byGrant.set(key, [...(byGrant.get(key) ?? []), permission]);
		}
		for (const grant of byGrant.values()) {
			if (new Set(grant.map((p) => p.action)).size !== 3) continue;
			for (const p of grant) touches.push({ kind: 'permission', id: p.id, collection: p.collection, action: p.action, policy: p.name });
		}
	}

	const presets = logged.filter((item) => item.kind === 'preset').map((item) => Number(item.name));
	if (presets.length) {
		const rows: { id: number; collection: string }[] = await knex('directus_presets').select('id', 'collection').whereIn('id', presets);
		for (const row of rows) if (SYSTEM.test(row.collection)) touches.push({ kind: 'preset', id: row.id, collection: row.collection });
	}
	return touches;
}
