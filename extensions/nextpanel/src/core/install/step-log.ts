// The plugin's own bookkeeping table: which install steps have run (so an upgrade runs only the
// new ones), what the plugin created itself, and a lock so that of several Directus instances
// starting at once, one installs and the others wait for it. A plain table, not a Directus
// collection: nothing in it is content, and nothing outside the plugin should see it.
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
