// The plugin's own bookkeeping table: which install steps have run (so an upgrade runs only the
// new ones), what the plugin created itself, and a lock so that of several Directus instances
// starting at once, one installs and the others wait for it. A plain table, not a Directus
// collection: nothing in it is content, and nothing outside the plugin should see it.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export const STEP_TABLE = 'nextpanel_install_steps';
const LOCK = '__lock__';

export interface StepLogOptions {
	/** How long a lock may be held before another instance assumes its holder died. */
	lockTtlMs?: number;
	/** How long to wait for another instance to finish. */
	waitMs?: number;
	pollMs?: number;
}

export class InstallLockTimeout extends Error {}

async function tableExists(knex: Knex): Promise<boolean> {
	return knex.schema.hasTable(STEP_TABLE);
}

/** Creates the table once; a concurrent creator winning the race is as good as creating it. */
export async function ensureStepTable(knex: Knex): Promise<void> {
	if (await tableExists(knex)) return;
	try {
		await knex.schema.createTable(STEP_TABLE, (table) => {
			table.string('step', 128).primary();
			table.bigInteger('applied_at').notNullable();
			table.string('detail', 255).nullable();
		});
	} catch (error) {
		if (!(await tableExists(knex))) throw error;
	}
}

export async function appliedSteps(knex: Knex): Promise<Set<string>> {
	const rows: { step: string }[] = await knex(STEP_TABLE).select('step').whereNot('step', LOCK);
	return new Set(rows.map((row) => row.step));
}

export async function recordStep(knex: Knex, step: string, detail: string | null = null): Promise<void> {
	const exists = await knex(STEP_TABLE).select('step').where({ step }).first();
	if (exists) await knex(STEP_TABLE).where({ step }).update({ applied_at: Date.now(), detail });
	else await knex(STEP_TABLE).insert({ step, applied_at: Date.now(), detail });
}

/**
 * What the plugin created in this project, one row each, so that `npm run cli -- uninstall`
 * removes exactly these and nothing of the host's. A field on a collection the plugin created
 * goes with its collection; a field on the host's collection is listed on its own.
 */
export type CreatedKind = 'collection' | 'field' | 'relation' | 'policy' | 'preset' | 'module-bar' | 'dashboard' | 'flow';

export interface CreatedItem {
	kind: CreatedKind;
	/** `collection`, `collection.field`, or a policy's or preset's key. */
	name: string;
}

const CREATED = 'created:';

/** Step keys are at most 128 characters; a longer name is keyed by its hash (the name is in the detail). */
function createdKey(item: CreatedItem): string {
	const key = `${CREATED}${item.kind}:${item.name}`;
	return key.length <= 128 ? key : `${CREATED}${item.kind}:#${createHash('sha256').update(item.name).digest('hex').slice(0, 40)}`;
}

export async function recordCreated(knex: Knex, items: readonly CreatedItem[], how: 'created' | 'inferred' = 'created'): Promise<void> {
	for (const item of items) await recordStep(knex, createdKey(item), JSON.stringify({ ...item, how }));
}

export async function createdItems(knex: Knex): Promise<(CreatedItem & { how: string })[]> {
	if (!(await tableExists(knex))) return [];
	const rows: { detail: string | null }[] = await knex(STEP_TABLE).select('detail').where('step', 'like', `${CREATED}%:%`);
	const items: (CreatedItem & { how: string })[] = [];
	for (const row of rows) {
		try {
			const item = JSON.parse(row.detail ?? '') as CreatedItem & { how?: string };
			if (typeof item.kind === 'string' && typeof item.name === 'string') items.push({ ...item, how: item.how ?? 'created' });
		} catch {
			// The earliest versions' marker for a created customer collection: `created:<name>`, detail "customers".
		}
	}
	return items;
}

/** The whole log goes last, when the plugin is removed from a project. */
export async function dropStepTable(knex: Knex): Promise<void> {
	await knex.schema.dropTableIfExists(STEP_TABLE);
}

/**
 * Runs `work` while holding the install lock: a row only one instance can insert. An instance
 * that finds it taken waits until it is released (then usually finds everything done), or takes
 * it over once it has expired (its holder died mid-install).
 */
export async function withInstallLock<T>(knex: Knex, owner: string, work: () => Promise<T>, options: StepLogOptions = {}): Promise<T> {
	const ttl = options.lockTtlMs ?? 120_000;
	const deadline = Date.now() + (options.waitMs ?? 180_000);
	const poll = options.pollMs ?? 250;
	for (;;) {
		try {
			await knex(STEP_TABLE).insert({ step: LOCK, applied_at: Date.now() + ttl, detail: owner });
			break;
		} catch (error) {
			const held = await knex(STEP_TABLE).select('applied_at', 'detail').where({ step: LOCK }).first();
			if (!held) {
				// Released between our insert and our look: try again at once. Anything else was a real error.
				if (await tableExists(knex)) continue;
				throw error;
			}
			if (Number(held.applied_at) < Date.now()) {
				await knex(STEP_TABLE).where({ step: LOCK, applied_at: held.applied_at }).delete();
				continue;
			}
			if (Date.now() > deadline) {
				throw new InstallLockTimeout(`another Directus instance (${held.detail}) has been installing the NextPanel schema for too long`);
			}
			await new Promise((resolve) => setTimeout(resolve, poll));
		}
	}
	try {
		return await work();
	} finally {
		await knex(STEP_TABLE).where({ step: LOCK, detail: owner }).delete();
	}
}
