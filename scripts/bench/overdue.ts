// `npm run bench -- overdue`: the overdue job over 10,000 adopted accounts, 1,000 of them past
// their term, on a real Directus against the simulator: the run's wall time, its database
// statements (knex query log) and its NextPanel calls, next to one run of the usage job over the
// same accounts; and the preview (GET /nextpanel/overdue) over the same data, timed 20 times.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createManyInChunks } from './adopt.ts';
import { registerServer, startSimulator, type BenchDirectus } from './environment.ts';
import type { Result } from './measurements.ts';
import { percentile, round, timed } from './stats.ts';

const day = (offset: number) => {
	const date = new Date();
	date.setDate(date.getDate() + offset);
	return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
};

async function patchInChunks(directus: BenchDirectus, keys: string[], data: Record<string, unknown>): Promise<void> {
	for (let i = 0; i < keys.length; i += 500) {
		const response = await directus.call('PATCH', '/items/hosting_accounts', { keys: keys.slice(i, i + 500), data });
		if (response.status !== 200) throw new Error(`Setting terms failed: ${JSON.stringify(response.body).slice(0, 300)}`);
	}
}

export async function overdueRun(directus: BenchDirectus, { total = 10_000, due = 1_000 } = {}): Promise<Result> {
	const sim = await startSimulator();
	try {
		const server = await registerServer(directus, sim, total * 2);
		const prefix = `od${randomBytes(3).toString('hex')}`;
		const username = (i: number) => `${prefix}${String(i + 1).padStart(5, '0')}`;
		await createManyInChunks(
			directus,
			'customers',
			Array.from({ length: total }, (_, i) => ({ full_name: `Term ${i}`, email: `${username(i)}@example.com` })),
		);
		await sim.control.seedBulk({ count: total, prefix, billing_id_prefix: null, email_domain: 'example.com' });
		const imported = await directus.call('POST', `/nextpanel/servers/${server}/import`, { dry_run: false });
		if (imported.status !== 200) throw new Error(`The import failed: ${JSON.stringify(imported.body).slice(0, 300)}`);
		const ids = (
			await directus.call<{ data: { id: string }[] }>('GET', '/items/hosting_accounts?fields=id&limit=-1&sort=username')
		).body.data.map((row) => row.id);
		await patchInChunks(directus, ids.slice(0, due), { paid_until: day(-10) });
		await patchInChunks(directus, ids.slice(due), { paid_until: day(60) });
		await directus.call('PATCH', '/items/nextpanel_settings', {
			overdue_suspend_after_days: 3,
			overdue_terminate_after_days: null,
			overdue_reminder_days_before: 7,
			overdue_max_actions_per_run: due,
		});

		const previews: number[] = [];
		let listed = 0;
		for (let i = 0; i < 20; i++) {
			const shown = await timed(() => directus.call<{ data: { rows: unknown[] } }>('GET', '/nextpanel/overdue'));
			previews.push(shown.ms);
			listed = shown.value.body.data.rows.length;
		}
		const statements = () =>
			readFileSync(directus.logFile, 'utf8')
				.split('\n')
				.filter((line) => line.includes('knex:query')).length;

		await sim.control.resetCalls();
		let before = statements();
		const overdue = await timed(() =>
			directus.call<{ data: { processed: number; failed: number } }>('POST', '/nextpanel/jobs/overdue', {}),
		);
		await new Promise((resolve) => setTimeout(resolve, 500));
		const overdueStatements = statements() - before;
		const overdueCalls = (await sim.control.calls()).count;

		await sim.control.resetCalls();
		before = statements();
		const usage = await timed(() => directus.call<{ data: { processed: number } }>('POST', '/nextpanel/jobs/usage', {}));
		await new Promise((resolve) => setTimeout(resolve, 500));
		const usageStatements = statements() - before;
		const usageCalls = (await sim.control.calls()).count;

		const p95 = percentile(previews, 95);
		const processed = overdue.value.body.data.processed;
		return {
			name: `Overdue job over ${total.toLocaleString('en')} accounts, ${due.toLocaleString('en')} of them due, next to the usage job`,
			figures: {
				'overdue: accounts suspended': processed,
				'overdue: wall time (s)': round(overdue.ms / 1000, 2),
				'overdue: database statements': overdueStatements,
				'overdue: statements per suspension': round(overdueStatements / Math.max(1, processed), 1),
				'overdue: NextPanel calls': overdueCalls,
				'usage: accounts synced in one run': usage.value.body.data.processed,
				'usage: wall time (s)': round(usage.ms / 1000, 2),
				'usage: database statements': usageStatements,
				'usage: NextPanel calls': usageCalls,
				'preview: rows listed': listed,
				'preview p50 / p95 (ms)': `${Math.round(percentile(previews, 50))} / ${Math.round(p95)}`,
			},
			target: 'preview p95 <= 500 ms; every due account suspended in one run',
			met: p95 <= 500 && processed === due,
		};
	} finally {
		await sim.simulator.close();
	}
}
