// What an install by a version before the install log created, inferred from the plugin's own
// marks: a collection whose note is the plugin's, a field on the host's customer collection with
// the plugin's name and interface, the policy, presets and module-bar entry whose once-step said
// "created". Anything without such a mark is taken to be the host's and is never removed.
import { PLUGIN_CUSTOMER_FIELDS } from './customer-fields.ts';
import type { StepContext } from './once-steps.ts';
import { STEP_TABLE, type CreatedItem } from './step-log.ts';

async function stepDetail(context: StepContext, step: string): Promise<string | null> {
	const row = await context.knex(STEP_TABLE).select('detail').where({ step }).first();
	return row ? String(row.detail ?? '') : null;
}

export async function inferCreatedItems(context: StepContext, policyName: string): Promise<CreatedItem[]> {
	const { knex, wanted, customers } = context;
	const items: CreatedItem[] = [];

	const customersCreated = (await stepDetail(context, `created:${customers}`)) !== null;
	const notes = new Map(wanted.collections.map((c) => [c.collection, c.meta?.['note'] ?? null]));
	const metas: { collection: string; note: string | null }[] = await knex('directus_collections')
		.select('collection', 'note')
		.whereIn('collection', [...notes.keys()]);
	for (const meta of metas) {
		const own = meta.collection === customers ? customersCreated : notes.get(meta.collection) === meta.note;
		if (own) items.push({ kind: 'collection', name: meta.collection });
	}

	if (!customersCreated) {
		const interfaces = new Map(
			wanted.fields.filter((f) => f.collection === customers).map((f) => [f.field, (f.meta?.['interface'] as string | null) ?? null]),
		);
		const fields: { field: string; interface: string | null }[] = await knex('directus_fields')
			.select('field', 'interface')
			.where({ collection: customers })
			.whereIn('field', [...PLUGIN_CUSTOMER_FIELDS]);
		for (const field of fields) {
			if (interfaces.has(field.field) && interfaces.get(field.field) === field.interface) {
				items.push({ kind: 'field', name: `${customers}.${field.field}` });
			}
		}
	}

	if ((await stepDetail(context, 'operator-policy')) === 'created') {
		const policy = await knex('directus_policies').select('id').where({ name: policyName }).first();
		if (policy) items.push({ kind: 'policy', name: String(policy.id) });
	}
	if ((await stepDetail(context, 'module-bar')) === 'added') items.push({ kind: 'module-bar', name: 'nextpanel' });

	const presetsFor = (await stepDetail(context, 'list-presets'))?.match(/^created for (.+)$/)?.[1]?.split(', ') ?? [];
	if (presetsFor.length) {
		const presets: { id: number }[] = await knex('directus_presets')
			.select('id')
			.whereIn('collection', presetsFor)
			.whereNull('user')
			.whereNull('role')
			.whereNull('bookmark');
		for (const preset of presets) items.push({ kind: 'preset', name: String(preset.id) });
	}
	const dashboard = (await stepDetail(context, 'insights-dashboard'))?.match(/^created (.+)$/)?.[1];
	if (dashboard && (await knex('directus_dashboards').select('id').where({ id: dashboard }).first())) {
		items.push({ kind: 'dashboard', name: dashboard });
	}
	const flow = (await stepDetail(context, 'hosting-action-flow'))?.match(/^created .* ([^ ]+)$/)?.[1];
	if (flow && (await knex('directus_flows').select('id').where({ id: flow }).first())) items.push({ kind: 'flow', name: flow });
	return items;
}
