// The plugin installs and upgrades its own schema when Directus starts, in any project: it
// creates what is missing of its collections, fields and relations (Directus's schema diff in
// merge mode, reduced to additions), then runs the once-steps it has not run yet. It never
// deletes or alters a collection, field, relation or row it did not create. Several instances
// starting at once take turns through a lock; each finds the others' work done.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { refusedInSchema } from '../lib/customer-collection.ts';
import { customerMapping } from '../lib/customers.ts';
import type { Runtime } from '../runtime.ts';
import { NOT_YET, ONCE_STEPS } from './once-steps.ts';
import { REFERENCE_CUSTOMERS, wantedSchema, type AttachTarget, type Snapshot } from './plugin-schema.ts';
import { additionsOnly, type SchemaDiff } from './schema-additions.ts';
import {
	OPTIONAL_COLLECTIONS,
	activeCollections,
	isCollectionLimit,
	leftOutNotice,
	noRoomProblem,
	withoutCollection,
} from './collection-room.ts';
import { describeTouch, findWrongTouches } from './wrong-touches.ts';
import { appliedSteps, createdItems, ensureStepTable, recordCreated, recordStep, withInstallLock, type CreatedItem } from './step-log.ts';

export interface InstallReport {
	installed: boolean;
	/** Why nothing was installed: what an administrator has to set. */
	problem: string | null;
	added: { collections: string[]; fields: string[]; relations: string[] };
	steps: string[];
	/** What an earlier version left on Directus system collections; `npm run cli -- repair` undoes it. */
	wrongTouches: string[];
	/** What was installed without a part the plugin can work without, and why (no room for a collection). */
	notices: string[];
}

/** The system itself, with the administrator's rights Directus's schema service asks for. */
const SCHEMA_ADMIN: Accountability = { admin: true, app: false, user: null, role: null, roles: [], ip: null } as unknown as Accountability;

function attachTarget(runtime: Runtime, schema: SchemaOverview, applied: Set<string>): AttachTarget | { problem: string } {
	const { config } = runtime;
	const collection = config.NEXTPANEL_CUSTOMERS_COLLECTION;
	const info = schema.collections[collection];
	const createdByPlugin = applied.has(`created:${collection}`);
	// Before anything else: a system collection or one of the plugin's own is never touched.
	const refused = refusedInSchema(config, schema);
	if (refused) return { problem: refused };
	if (!info) {
		const renamed = config.NEXTPANEL_CUSTOMER_NAME_FIELD !== 'full_name' || config.NEXTPANEL_CUSTOMER_EMAIL_FIELD !== 'email';
		if (renamed) {
			return {
				problem: `the customer collection "${collection}" (NEXTPANEL_CUSTOMERS_COLLECTION) does not exist, and the plugin creates its own with the fields full_name and email only. Point NEXTPANEL_CUSTOMERS_COLLECTION at your customer collection, or unset NEXTPANEL_CUSTOMER_NAME_FIELD and NEXTPANEL_CUSTOMER_EMAIL_FIELD.`,
			};
		}
		return { collection, createdByPlugin: false, existing: null, maxSort: 0 };
	}
	const mapping = customerMapping(config, schema);
	if ('problem' in mapping) return mapping;
	return { collection, createdByPlugin, existing: mapping, maxSort: 0 };
}

async function highestSort(knex: Knex, collection: string): Promise<number> {
	const row = await knex('directus_fields').max({ sort: 'sort' }).where({ collection, group: null }).first();
	return Number(row?.sort ?? 0);
}

type Added = InstallReport['added'];

const addedBy = (diff: SchemaDiff): Added => ({
	collections: diff.collections.map((entry) => entry.collection),
	fields: diff.fields.map((entry) => `${entry.collection}.${entry.field}`),
	relations: diff.relations.map((entry) => `${entry.collection}.${entry.field}`),
});

/** Directus refused to create a collection the plugin cannot work without. */
class NoRoomError extends Error {
	constructor(readonly needed: string[]) {
		super('no room for the plugin collections');
	}
}

async function addMissing(
	runtime: Runtime,
	knex: Knex,
	schema: SchemaOverview,
	wanted: Snapshot,
): Promise<{ added: Added; leftOut: string[] }> {
	const service = new runtime.services.SchemaService({ knex, schema, accountability: SCHEMA_ADMIN });
	const current = await service.snapshot();
	// A snapshot of another vendor or Directus version is fine: only additions are applied.
	const raw = await service.diff({ ...wanted, systemFields: [] } as never, { currentSnapshot: current, force: true, mode: 'merge' });
	let diff = additionsOnly(raw as unknown as SchemaDiff | null);
	const leftOut: string[] = [];
	for (;;) {
		const added = addedBy(diff);
		if (added.collections.length + added.fields.length + added.relations.length === 0) return { added, leftOut };
		try {
			// One transaction: a refusal leaves nothing of this attempt behind. Directus consumes the
			// diff it applies (it drops the fields of each collection it creates), so it gets a copy.
			await service.apply({ hash: service.getHashedSnapshot(current).hash, diff: structuredClone(diff) as never });
			return { added, leftOut };
		} catch (error) {
			if (!isCollectionLimit(error)) throw error;
			const optional = OPTIONAL_COLLECTIONS.find((name) => added.collections.includes(name));
			if (!optional) throw new NoRoomError(added.collections);
			diff = withoutCollection(diff, optional);
			leftOut.push(optional);
		}
	}
}

export async function installPlugin(runtime: Runtime): Promise<InstallReport> {
	const knex = runtime.database;
	await ensureStepTable(knex);
	return withInstallLock(knex, runtime.instanceId, async () => {
		const applied = await appliedSteps(knex);
		const before = await runtime.getSchema({ bypassCache: true });
		const target = attachTarget(runtime, before, applied);
		const notInstalled = async (problem: string): Promise<InstallReport> => ({
			installed: false,
			problem,
			added: { collections: [], fields: [], relations: [] },
			steps: [],
			wrongTouches: (await findWrongTouches(knex, await createdItems(knex))).map(describeTouch),
			notices: [],
		});
		if ('problem' in target) return notInstalled(target.problem);
		if (target.existing && !target.createdByPlugin) target.maxSort = await highestSort(knex, target.collection);

		const wanted = wantedSchema(target);
		let addition: Awaited<ReturnType<typeof addMissing>>;
		try {
			addition = await addMissing(runtime, knex, before, wanted);
		} catch (error) {
			if (!(error instanceof NoRoomError)) throw error;
			return notInstalled(noRoomProblem({ active: await activeCollections(runtime, knex, before), needed: error.needed }));
		}
		const { added, leftOut } = addition;
		if (added.collections.includes(target.collection)) await recordStep(knex, `created:${target.collection}`, REFERENCE_CUSTOMERS);
		// Each addition is logged as it lands, so that removing the plugin removes exactly these.
		await recordCreated(knex, [
			...added.collections.map((name): CreatedItem => ({ kind: 'collection', name })),
			...added.fields.map((name): CreatedItem => ({ kind: 'field', name })),
			...added.relations.map((name): CreatedItem => ({ kind: 'relation', name })),
		]);

		const schema = await runtime.getSchema({ bypassCache: true });
		const steps: string[] = [];
		for (const step of ONCE_STEPS) {
			if (applied.has(step.id)) continue;
			const detail = await step.run({ runtime, knex, schema, customers: target.collection, wanted, upgrade: applied.size > 0 });
			if (detail === NOT_YET) continue;
			await recordStep(knex, step.id, detail?.slice(0, 255) ?? null);
			steps.push(`${step.id} (${detail})`);
		}
		const wrongTouches = (await findWrongTouches(knex, await createdItems(knex))).map(describeTouch);
		return { installed: true, problem: null, added, steps, wrongTouches, notices: leftOut.map(leftOutNotice) };
	}).finally(async () => {
		// Another instance may have installed while this one waited, after this process had
		// already cached the schema: start from what the database holds now.
		const utils = new runtime.services.UtilsService({ knex, schema: await runtime.getSchema(), accountability: SCHEMA_ADMIN });
		await utils.clearCache({ system: true });
	});
}
