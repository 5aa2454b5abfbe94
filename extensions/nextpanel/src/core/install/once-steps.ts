// Install steps that run once per project, in order, each recorded when done, so an upgrade of
// the plugin runs only the steps that are new to it. What an administrator later changes (the
// policy, the module bar, the list layouts) is theirs: these steps never run again to undo it.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import type { Runtime } from '../runtime.ts';
import { inferCreatedItems } from './legacy-install-log.ts';
import type { Snapshot } from './plugin-schema.ts';
import { STEP_TABLE, recordCreated } from './step-log.ts';
import { addInsightIndexes } from '../insights/indexes.ts';
import { createInsightsDashboard } from './insights-dashboard.ts';
import { HOSTING_ACTION_STEP, createHostingActionFlow } from './hosting-action-flow.ts';

export interface StepContext {
	runtime: Runtime;
	knex: Knex;
	schema: SchemaOverview;
	customers: string;
	/** The schema the plugin wants here. */
	wanted: Snapshot;
	/** Whether an earlier version installed the plugin in this project already. */
	upgrade: boolean;
}

/** A step that cannot run yet (what it works on is not installed): it is not recorded, and runs again on the next start. */
export const NOT_YET = Symbol('not yet');

export interface OnceStep {
	id: string;
	run(context: StepContext): Promise<string | null | typeof NOT_YET>;
}

export const OPERATOR_POLICY_NAME = 'NextPanel operator';

/** Whole collections only: field-level rules are a licensed feature of Directus 12, and the bundle's hooks guard state fields and secrets. */
export function operatorPermissions(customers: string) {
	return [
		{ collection: customers, action: 'create' },
		{ collection: customers, action: 'read' },
		{ collection: customers, action: 'update' },
		{ collection: 'hosting_accounts', action: 'create' },
		{ collection: 'hosting_accounts', action: 'read' },
		{ collection: 'hosting_accounts', action: 'update' },
		{ collection: 'nextpanel_servers', action: 'read' },
		{ collection: 'nextpanel_logs', action: 'read' },
		{ collection: 'nextpanel_settings', action: 'read' },
	].map((permission) => ({ ...permission, fields: ['*'], permissions: {}, validation: {} }));
}

interface ModuleBarEntry {
	type: 'module' | 'link';
	id: string;
	enabled: boolean;
	[key: string]: unknown;
}

/** Directus 12's own module bar, for a project that has never customised it. */
const DIRECTUS_MODULE_BAR: ModuleBarEntry[] = [
	{ type: 'module', id: 'content', enabled: true },
	{ type: 'module', id: 'visual', enabled: false },
	{ type: 'module', id: 'users', enabled: true },
	{ type: 'module', id: 'files', enabled: true },
	{ type: 'module', id: 'insights', enabled: true },
	{ type: 'module', id: 'flows', enabled: true },
	{ type: 'module', id: 'deployments', enabled: false },
	{ type: 'link', id: 'docs', enabled: true, name: '$t:documentation', icon: 'help', url: 'https://directus.com/docs' },
	{ type: 'module', id: 'settings', enabled: true, locked: true },
];

export function isDirectusDefault(bar: readonly unknown[]): boolean {
	return JSON.stringify(bar) === JSON.stringify(DIRECTUS_MODULE_BAR);
}

/**
 * List layouts every user of the project starts from, unless the project already has its own.
 * Column widths (px) keep every column in view at 1440 px with the app's sidebar open; the last
 * column takes what is left.
 */
export function listPresets(customers: string, names: { name: string; email: string }) {
	return [
		{
			collection: customers,
			columns: { [names.name]: 200, [names.email]: 220, status: 110, hosting_accounts: 220 },
			sort: [names.name],
		},
		{
			collection: 'nextpanel_servers',
			columns: { name: 160, base_url: 150, status: 90, capacity: 100, accounts: 110, last_check_status: 120 },
			sort: ['name'],
		},
		{
			collection: 'hosting_accounts',
			columns: { username: 170, customer: 180, server: 160, status: 110, provisioned_at: 150 },
			sort: ['-date_created'],
		},
		{
			collection: 'nextpanel_logs',
			columns: { date_created: 150, action: 150, server: 160, outcome: 100, message: 300 },
			sort: ['-date_created'],
		},
	];
}

const SYSTEM: Accountability | null = null;

export const ONCE_STEPS: readonly OnceStep[] = [
	{
		// Versions before the install log recorded only a created customer collection: on an upgrade,
		// what they created is inferred once, from what carries the plugin's own marks. A fresh
		// install logs each addition as it makes it, so there is nothing to infer.
		id: 'install-log',
		async run(context) {
			if (!context.upgrade) return 'logged as installed';
			const items = await inferCreatedItems(context, OPERATOR_POLICY_NAME);
			await recordCreated(context.knex, items, 'inferred');
			return `${items.length} item(s) inferred`;
		},
	},
	{
		id: 'operator-policy',
		async run({ runtime, knex, schema, customers }) {
			const policies = new runtime.services.PoliciesService({ knex, schema, accountability: SYSTEM });
			const existing = (await policies.readByQuery({
				filter: { name: { _eq: OPERATOR_POLICY_NAME } },
				fields: ['id'],
				limit: 1,
			})) as unknown[];
			if (existing.length) return 'a policy of that name exists already; left as it is';
			const id = await policies.createOne({
				// The policy's permissions are created with it, as the app's policy editor does.
				name: OPERATOR_POLICY_NAME,
				icon: 'dns',
				description: 'Provision, suspend and terminate NextPanel hosting accounts; read servers and call logs',
				admin_access: false,
				app_access: true,
				// A collection left out for lack of room gets its permission when it is installed (operator-reads-settings).
				permissions: operatorPermissions(customers).filter((permission) => schema.collections[permission.collection]),
			} as never);
			await recordCreated(knex, [{ kind: 'policy', name: String(id) }]);
			return 'created';
		},
	},
	{
		id: 'module-bar',
		async run({ runtime, knex, schema }) {
			const settings = new runtime.services.SettingsService({ knex, schema, accountability: SYSTEM });
			const current = (await settings.readSingleton({ fields: ['module_bar'] })) as { module_bar: ModuleBarEntry[] | null };
			const bar = current.module_bar ?? DIRECTUS_MODULE_BAR;
			if (bar.some((entry) => entry.id === 'nextpanel')) return 'already there';
			const afterContent = bar.findIndex((entry) => entry.id === 'content') + 1;
			await settings.upsertSingleton({
				module_bar: [...bar.slice(0, afterContent), { type: 'module', id: 'nextpanel', enabled: true }, ...bar.slice(afterContent)],
			});
			await recordCreated(knex, [{ kind: 'module-bar', name: 'nextpanel' }]);
			return 'added';
		},
	},
	{
		id: 'list-presets',
		async run({ runtime, knex, schema, customers }) {
			const presets = new runtime.services.PresetsService({ knex, schema, accountability: SYSTEM });
			const created: string[] = [];
			const { NEXTPANEL_CUSTOMER_NAME_FIELD: name, NEXTPANEL_CUSTOMER_EMAIL_FIELD: email } = runtime.config;
			for (const preset of listPresets(customers, { name, email })) {
				const exists = (field: string) => Boolean(schema.collections[preset.collection]?.fields[field.replace(/^-/, '')]);
				const widths = Object.fromEntries(Object.entries(preset.columns).filter(([field]) => exists(field)));
				const fields = Object.keys(widths);
				const existing = (await presets.readByQuery({
					filter: { collection: { _eq: preset.collection }, user: { _null: true }, role: { _null: true }, bookmark: { _null: true } },
					fields: ['id'],
					limit: 1,
				})) as unknown[];
				if (existing.length || fields.length === 0) continue;
				const id = await presets.createOne({
					collection: preset.collection,
					user: null,
					role: null,
					bookmark: null,
					layout: 'tabular',
					layout_query: { tabular: { fields, sort: preset.sort.filter(exists), page: 1 } },
					layout_options: { tabular: { spacing: 'cozy', widths } },
				});
				await recordCreated(knex, [{ kind: 'preset', name: String(id) }]);
				created.push(preset.collection);
			}
			return created.length ? `created for ${created.join(', ')}` : 'the project has its own';
		},
	},
	{
		// Accounts linked before the identity check existed were all created by this plugin, for their customer.
		id: 'remote-billing-id',
		async run({ knex }) {
			const updated = await knex('hosting_accounts')
				.whereNotNull('nextpanel_account_id')
				.whereNull('remote_billing_id')
				.update({ remote_billing_id: knex.ref('customer') });
			return `${updated} account(s)`;
		},
	},
	{
		// The overdue policy came with service terms: an operator policy the plugin created may read it.
		id: 'operator-reads-settings',
		async run({ runtime, knex, schema }) {
			const policy = (await knex(STEP_TABLE).select('detail').where('step', 'like', 'created:policy:%').first())?.detail;
			const id = policy ? (JSON.parse(policy) as { name: string }).name : null;
			if (!id) return 'no policy of the plugin';
			if (!schema.collections['nextpanel_settings']) return NOT_YET;
			const exists = await knex('directus_permissions').where({ policy: id, collection: 'nextpanel_settings', action: 'read' }).first();
			if (exists) return 'already so';
			const permissions = new runtime.services.PermissionsService({ knex, schema, accountability: SYSTEM });
			await permissions.createOne({
				policy: id,
				collection: 'nextpanel_settings',
				action: 'read',
				fields: ['*'],
				permissions: {},
				validation: {},
			});
			return 'added';
		},
	},
	{
		// Deleting a customer or server that only has terminated accounts keeps those records (unlinked).
		id: 'owner-links-set-null',
		async run({ runtime, knex, schema }) {
			const relations = new runtime.services.RelationsService({ knex, schema, accountability: SYSTEM });
			const fields = new runtime.services.FieldsService({ knex, schema, accountability: SYSTEM });
			const changed: string[] = [];
			for (const field of ['customer', 'server']) {
				const relation = (await (relations as unknown as { readOne(c: string, f: string): Promise<unknown> }).readOne(
					'hosting_accounts',
					field,
				)) as {
					schema: { on_delete: string } | null;
				} | null;
				const column = schema.collections['hosting_accounts']?.fields[field];
				if (column && !column.nullable) {
					await fields.updateField('hosting_accounts', { field, schema: { is_nullable: true } } as never);
					changed.push(`${field} nullable`);
				}
				if (relation?.schema && relation.schema.on_delete !== 'SET NULL') {
					await relations.updateOne('hosting_accounts', field, { schema: { on_delete: 'SET NULL' } } as never);
					changed.push(`${field} on delete set null`);
				}
			}
			return changed.length ? changed.join(', ') : 'already so';
		},
	},
	{
		// The insight routes count over a million call-log rows: their indexes, on the plugin's tables only.
		id: 'insight-indexes',
		run: async ({ knex, schema }) => (await addInsightIndexes(knex, schema)) ?? NOT_YET,
	},
	{
		// Once, on a fresh install and on an upgrade alike; never again, so a deleted dashboard stays deleted.
		id: 'insights-dashboard',
		run: async ({ runtime, knex, schema }) => `created ${await createInsightsDashboard(runtime, knex, schema)}`,
	},
	{
		// The one manual flow the AI Assistant and MCP clients can run; once, so a deleted flow stays deleted.
		id: HOSTING_ACTION_STEP,
		run: async ({ runtime, knex, schema, customers }) => createHostingActionFlow(runtime, knex, schema, customers),
	},
];
