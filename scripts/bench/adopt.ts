// Adopting a big server: 10,000 accounts imported through POST /nextpanel/servers/:id/import
// against Directus's own createMany of 10,000 plain items in the same run, and a drift check
// over them, which must read NextPanel's list once and compare in memory.
import { randomBytes } from 'node:crypto';
import type { Result } from './measurements.ts';
import { createPlainCollection } from './cpu-and-statements.ts';
import { registerServer, startSimulator, type BenchDirectus } from './environment.ts';
import { cpuMsOf, memoryOf, round, timed } from './stats.ts';

const CHUNK = 500;

export async function createManyInChunks(directus: BenchDirectus, collection: string, items: Record<string, unknown>[]): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < items.length; i += CHUNK) {
		const response = await directus.call<{ data: { id: string }[] }>('POST', `/items/${collection}?fields=id`, items.slice(i, i + CHUNK));
		if (response.status !== 200) throw new Error(`createMany on ${collection} failed: ${JSON.stringify(response.body).slice(0, 300)}`);
		ids.push(...response.body.data.map((row) => row.id));
	}
	return ids;
}

export async function importAndDrift(directus: BenchDirectus, total = 10_000): Promise<Result[]> {
	const sim = await startSimulator();
	try {
		const server = await registerServer(directus, sim, total * 2);
		await createPlainCollection(directus, 'bench_plain_many');
		// The customers the accounts belong to, created before anything is measured; NextPanel's
		// accounts carry their e-mail addresses, so the import links them by e-mail.
		const prefix = `imp${randomBytes(3).toString('hex')}`;
		const username = (i: number) => `${prefix}${String(i + 1).padStart(5, '0')}`;
		await createManyInChunks(
			directus,
			'customers',
			Array.from({ length: total }, (_, i) => ({ full_name: `Import ${i}`, email: `${username(i)}@example.com` })),
		);
		await sim.control.seedBulk({ count: total, prefix, billing_id_prefix: null, email_domain: 'example.com' });

		const pid = directus.child.pid!;
		const plainItems = Array.from({ length: total }, (_, i) => ({ name: `Plain ${i}`, email: `many-${prefix}-${i}@example.com` }));
		let cpu = cpuMsOf(pid);
		const baseline = await timed(() => createManyInChunks(directus, 'bench_plain_many', plainItems));
		const baselineCpu = cpuMsOf(pid) - cpu;

		const before = memoryOf(pid);
		cpu = cpuMsOf(pid);
		const imported = await timed(() =>
			directus.call<{ data: { counts: { import: number } } }>('POST', `/nextpanel/servers/${server}/import`, { dry_run: false }),
		);
		const importCpu = cpuMsOf(pid) - cpu;
		const after = memoryOf(pid);
		if (imported.value.status !== 200) throw new Error(`The import failed: ${JSON.stringify(imported.value.body).slice(0, 300)}`);
		const count = imported.value.body.data.counts.import;

		await sim.control.resetCalls();
		cpu = cpuMsOf(pid);
		const drift = await timed(() => directus.call<{ data: unknown[] }>('GET', `/nextpanel/servers/${server}/drift`));
		const driftCpu = cpuMsOf(pid) - cpu;
		const nextpanelCalls = (await sim.control.calls()).count;

		const wallRatio = imported.ms / baseline.ms;
		return [
			{
				name: `Import of ${total.toLocaleString('en')} accounts vs Directus's createMany of ${total.toLocaleString('en')} plain items`,
				figures: {
					'accounts imported': count,
					'createMany, in chunks of 500 (s)': round(baseline.ms / 1000, 2),
					'import, one request (s)': round(imported.ms / 1000, 2),
					'wall-time ratio': round(wallRatio, 2),
					'Directus CPU ratio': round(importCpu / baselineCpu, 2),
					'Directus RSS before / after the import (MB)': `${before.rssMb} / ${after.rssMb}`,
					'Directus peak RSS (MB)': after.peakMb,
				},
				target: '<= 1.5x',
				met: wallRatio <= 1.5 && count === total,
			},
			{
				name: `Drift check over ${total.toLocaleString('en')} accounts`,
				figures: {
					differences: drift.value.body.data.length,
					'time (ms)': Math.round(drift.ms),
					'Directus CPU (ms)': Math.round(driftCpu),
					'requests to NextPanel': nextpanelCalls,
				},
				target: 'one request to NextPanel',
				met: nextpanelCalls === 1,
			},
		];
	} finally {
		await sim.simulator.close();
	}
}
