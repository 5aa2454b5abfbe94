// Removing the plugin from a project (`npm run cli -- uninstall`), and repairing a system
// collection an earlier version wrongly touched (`npm run cli -- repair`). Both start from one
// plan, which the dry run shows and the apply carries out: only what the install log says the
// plugin created is removed, a host field that depends on any of it stops the removal, and
// collections that hold rows go only when the administrator says so. Each removed item leaves
// the log as it goes, so a run that stops half-way resumes where it stopped. Nothing is written
// to NextPanel: the hosting accounts stay on their servers.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import type { RemovalPlan, RemovalReport } from '../../shared/wire/removal.ts';
import type { Runtime } from '../runtime.ts';
import { installPlugin } from './installer.ts';
import { planDashboardRemoval, removeDashboard } from './insights-dashboard.ts';
import { isDirectusDefault } from './once-steps.ts';
import { STEP_TABLE, createdItems, dropStepTable, type CreatedItem } from './step-log.ts';
import { describeTouch, findWrongTouches, type WrongTouch } from './wrong-touches.ts';

export interface RemovalRequest {
	/** Repair only: undo what an earlier version put on system collections, and keep the plugin. */
	repairOnly: boolean;
	dryRun: boolean;
	/** Allow dropping collections that hold rows. */
	deleteData: boolean;
}

const ADMIN: Accountability = { admin: true, app: false, user: null, role: null, roles: [], ip: null } as unknown as Accountability;

/**
 * A collection goes only after every collection that points at it: Directus drops the table
 * before its relations, and PostgreSQL refuses to drop a table that a foreign key still names.
 */
function dropOrder(collections: ReadonlySet<string>, schema: SchemaOverview): string[] {
	const order: string[] = [];
	const pending = new Set(collections);
	while (pending.size) {
		const free = [...pending].filter(
			(target) => !schema.relations.some((r) => r.related_collection === target && r.collection !== target && pending.has(r.collection)),
		);
		// A cycle would leave nothing free; take the rest as they come rather than loop for ever.
		for (const collection of (free.length ? free : [...pending]).sort()) {
			order.push(collection);
			pending.delete(collection);
		}
	}
	return order;
}

interface Internal {
	plan: RemovalPlan;
	logged: CreatedItem[];
	touches: WrongTouch[];
}

async function rowCount(knex: Knex, collection: string): Promise<number> {
	const row = await knex(collection).count({ n: '*' }).first();
	return Number(row?.n ?? 0);
}

async function buildPlan(knex: Knex, schema: SchemaOverview, request: RemovalRequest): Promise<Internal> {
	const logged = await createdItems(knex);
	const touches = await findWrongTouches(knex, logged);
	const of = (kind: CreatedItem['kind']) => logged.filter((item) => item.kind === kind).map((item) => item.name);
	const plan: RemovalPlan = {
		mode: request.repairOnly ? 'repair' : 'uninstall',
		collections: [],
		fields: [],
		relations: [],
		policies: [],
		presets: [],
		module_bar: false,
		dashboards: [],
		flows: [],
		repairs: touches.map(describeTouch),
		blockers: [],
		notes: [],
	};
	if (request.repairOnly) {
		if (!touches.length) plan.notes.push('Nothing of the plugin is on a Directus system collection.');
		return { plan, logged, touches };
	}

	const dropped = new Set(of('collection').filter((collection) => schema.collections[collection]));
	for (const collection of dropOrder(dropped, schema)) {
		plan.collections.push({ collection, rows: await rowCount(knex, collection) });
	}
	// Presentation fields (groups, notices) are not in the schema overview; directus_fields has them all.
	const metaRows: { collection: string; field: string }[] = await knex('directus_fields').select('collection', 'field');
	const existing = new Set(metaRows.map((row) => `${row.collection}.${row.field}`));
	const onHost = (name: string) => {
		const [collection, field] = name.split('.') as [string, string];
		return !dropped.has(collection) && (existing.has(name) || Boolean(schema.collections[collection]?.fields[field]));
	};
	plan.fields = of('field').filter(onHost);
	plan.relations = of('relation').filter((name) => onHost(name) && !plan.fields.includes(name));
	const policyIds = of('policy');
	if (policyIds.length) {
		const rows: { id: string; name: string }[] = await knex('directus_policies').select('id', 'name').whereIn('id', policyIds);
		plan.policies = rows.map((row) => ({ id: String(row.id), name: row.name }));
	}
	const presetIds = of('preset').map(Number);
	if (presetIds.length) {
		const rows: { id: number; collection: string }[] = await knex('directus_presets').select('id', 'collection').whereIn('id', presetIds);
		// Presets of a dropped collection go with it.
		plan.presets = rows.filter((row) => !dropped.has(row.collection)).map((row) => row.id);
	}
	if (of('module-bar').length) {
		const settings = await knex('directus_settings').select('module_bar').first();
		const bar = typeof settings?.module_bar === 'string' ? JSON.parse(settings.module_bar) : settings?.module_bar;
		plan.module_bar = Array.isArray(bar) && bar.some((entry: { id?: string }) => entry?.id === 'nextpanel');
	}

	plan.dashboards = await planDashboardRemoval(knex, of('dashboard'));
	const flowIds = of('flow');
	if (flowIds.length) {
		const rows: { id: string; name: string }[] = await knex('directus_flows').select('id', 'name').whereIn('id', flowIds);
		plan.flows = rows.map((row) => ({ id: String(row.id), name: row.name }));
	}

	// A field of the host's that points at a collection about to go would be deleted with it.
	const ours = new Set([...plan.fields, ...touches.filter((t) => t.kind === 'field').map((t) => `${t.collection}.${t.field}`)]);
	for (const relation of schema.relations) {
		const name = `${relation.collection}.${relation.field}`;
		if (!relation.related_collection || !dropped.has(relation.related_collection)) continue;
		if (dropped.has(relation.collection) || ours.has(name)) continue;
		plan.blockers.push(
			`${name} is not the plugin's and points at ${relation.related_collection}, which would take it along: remove that field or point it elsewhere first.`,
		);
	}
	const full = plan.collections.filter((c) => c.rows > 0);
	if (full.length && !request.deleteData) {
		plan.blockers.push(
			`${full.map((c) => `${c.collection} holds ${c.rows} row(s)`).join(', ')}: removing the plugin deletes them. Export what you want to keep, then run again with --delete-data.`,
		);
	}

	const others: { collection: string; name: string }[] = await knex('directus_permissions')
		.join('directus_policies', 'directus_policies.id', 'directus_permissions.policy')
		.select('collection', 'directus_policies.name')
		.whereIn('collection', [...dropped])
		.whereNotIn('policy', policyIds);
	const otherPolicies = [...new Set(others.map((row) => row.name))];
	if (otherPolicies.length) {
		plan.notes.push(`Permissions of ${otherPolicies.map((n) => `"${n}"`).join(', ')} on the removed collections go with them.`);
	}
	const flows: { name: string; type: string }[] = await knex('directus_operations')
		.join('directus_flows', 'directus_flows.id', 'directus_operations.flow')
		.select('directus_flows.name', 'directus_operations.type')
		.where('directus_operations.type', 'like', 'nextpanel%')
		.whereNotIn('directus_flows.id', flowIds);
	for (const flow of [...new Set(flows.map((f) => f.name))]) {
		plan.notes.push(`The flow "${flow}" uses NextPanel operations; it fails once the extension is removed. Flows are yours and are kept.`);
	}
	if (dropped.has('hosting_accounts')) {
		plan.notes.push('Nothing is written to NextPanel: the hosting accounts stay on their servers.');
	}
	plan.notes.push('Take the extension out of the project before Directus restarts, or it installs itself again.');
	return { plan, logged, touches };
}

async function forget(knex: Knex, items: readonly CreatedItem[]): Promise<void> {
	const names = new Set(items.map((item) => `${item.kind}:${item.name}`));
	const rows: { step: string; detail: string | null }[] = await knex(STEP_TABLE)
		.select('step', 'detail')
		.where('step', 'like', 'created:%:%');
	for (const row of rows) {
		try {
			const item = JSON.parse(row.detail ?? '') as CreatedItem;
			if (names.has(`${item.kind}:${item.name}`)) await knex(STEP_TABLE).where({ step: row.step }).delete();
		} catch {
			// not a created-item row
		}
	}
}

async function applyRepairs(runtime: Runtime, knex: Knex, touches: readonly WrongTouch[]): Promise<void> {
	const schema = () => runtime.getSchema({ bypassCache: true });
	for (const touch of touches.filter((t) => t.kind === 'relation')) {
		// The link to a system collection was the plugin's mistake. The link field is the plugin's
		// own: it is dropped (with its foreign key, which SQLite cannot drop alone) and the install
		// that follows adds it again, pointing at the customer collection. The accounts are kept.
		const service = new runtime.services.FieldsService({ knex, schema: await schema(), accountability: ADMIN });
		await service.deleteField(touch.collection, touch.field);
	}
	const fields = touches.filter((t): t is Extract<WrongTouch, { kind: 'field' }> => t.kind === 'field');
	for (const touch of [...fields.filter((t) => !t.group), ...fields.filter((t) => t.group)]) {
		// Dropping the link above takes its alias on the system collection along.
		if (!(await knex('directus_fields').where({ collection: touch.collection, field: touch.field }).first())) continue;
		const service = new runtime.services.FieldsService({ knex, schema: await schema(), accountability: ADMIN });
		await service.deleteField(touch.collection, touch.field);
	}
	const permissions = touches.filter((t) => t.kind === 'permission').map((t) => t.id);
	if (permissions.length) {
		const service = new runtime.services.PermissionsService({ knex, schema: await schema(), accountability: ADMIN });
		await service.deleteMany(permissions);
	}
	const presets = touches.filter((t) => t.kind === 'preset').map((t) => t.id);
	if (presets.length) {
		const service = new runtime.services.PresetsService({ knex, schema: await schema(), accountability: ADMIN });
		await service.deleteMany(presets);
		await forget(
			knex,
			presets.map((id) => ({ kind: 'preset', name: String(id) })),
		);
	}
}

async function applyRemoval(runtime: Runtime, knex: Knex, plan: RemovalPlan): Promise<void> {
	const schema = () => runtime.getSchema({ bypassCache: true });
	for (const name of await groupsLast(knex, plan.fields)) {
		const [collection, field] = name.split('.') as [string, string];
		const service = new runtime.services.FieldsService({ knex, schema: await schema(), accountability: ADMIN });
		await service.deleteField(collection, field);
		await forget(knex, [{ kind: 'field', name }]);
	}
	for (const name of plan.relations) {
		const [collection, field] = name.split('.') as [string, string];
		const current = await schema();
		if (current.relations.some((r) => r.collection === collection && r.field === field)) {
			const service = new runtime.services.RelationsService({ knex, schema: current, accountability: ADMIN });
			await service.deleteOne(collection, field);
		}
		await forget(knex, [{ kind: 'relation', name }]);
	}
	for (const { collection } of plan.collections) {
		const service = new runtime.services.CollectionsService({ knex, schema: await schema(), accountability: ADMIN });
		await service.deleteOne(collection);
		await forget(knex, [{ kind: 'collection', name: collection }]);
	}
	if (plan.presets.length) {
		const service = new runtime.services.PresetsService({ knex, schema: await schema(), accountability: ADMIN });
		await service.deleteMany(plan.presets);
	}
	for (const policy of plan.policies) {
		const service = new runtime.services.PoliciesService({ knex, schema: await schema(), accountability: ADMIN });
		await service.deleteOne(policy.id);
	}
	if (plan.flows.length) {
		const service = new runtime.services.FlowsService({ knex, schema: await schema(), accountability: ADMIN });
		await service.deleteMany(plan.flows.map((flow) => flow.id));
		await forget(
			knex,
			plan.flows.map((flow) => ({ kind: 'flow', name: flow.id })),
		);
	}
	for (const dashboard of plan.dashboards) {
		await removeDashboard(runtime, knex, dashboard);
		await forget(knex, [{ kind: 'dashboard', name: dashboard.id }]);
	}
	if (plan.module_bar) {
		const settings = new runtime.services.SettingsService({ knex, schema: await schema(), accountability: ADMIN });
		const current = (await settings.readSingleton({ fields: ['module_bar'] })) as { module_bar: { id: string }[] | null };
		const bar = (current.module_bar ?? []).filter((entry) => entry.id !== 'nextpanel');
		// The plugin filled in Directus's own bar for a project that had never set one: give that back as unset.
		await settings.upsertSingleton({ module_bar: isDirectusDefault(bar) ? null : bar });
	}
	await dropStepTable(knex);
}

/** The fields in a group go before the group that holds them. */
async function groupsLast(knex: Knex, fields: readonly string[]): Promise<string[]> {
	const groups: { collection: string; field: string }[] = await knex('directus_fields')
		.select('collection', 'field')
		.where('special', 'like', '%group%');
	const isGroup = new Set(groups.map((row) => `${row.collection}.${row.field}`));
	return [...fields].sort((a, b) => Number(isGroup.has(a)) - Number(isGroup.has(b)));
}

export async function removePlugin(runtime: Runtime, request: RemovalRequest): Promise<RemovalReport> {
	const knex = runtime.database;
	const { plan, touches } = await buildPlan(knex, await runtime.getSchema({ bypassCache: true }), request);
	if (request.dryRun || plan.blockers.length) return { dry_run: request.dryRun, applied: false, plan };
	try {
		await applyRepairs(runtime, knex, touches);
		if (!request.repairOnly) await applyRemoval(runtime, knex, plan);
		// What a repair dropped of the plugin's own (the customer link) comes back where it belongs.
		else if (touches.length) await installPlugin(runtime);
	} finally {
		const utils = new runtime.services.UtilsService({ knex, schema: await runtime.getSchema(), accountability: ADMIN });
		await utils.clearCache({ system: true });
	}
	return { dry_run: false, applied: true, plan };
}
