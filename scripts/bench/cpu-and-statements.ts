// What a provisioning costs Directus, against the cheapest write Directus knows: a plain item
// create in a collection without hooks. CPU is the Directus process's own (/proc/<pid>/stat),
// measured in alternating rounds so that whatever else the machine does affects both alike;
// statements are counted from knex's query log of a second instance started with
// DEBUG=knex:query.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Result } from './measurements.ts';
import { createCustomers, registerServer, startDirectus, startSimulator, type BenchDirectus } from './environment.ts';
import { cpuMsOf, median, round } from './stats.ts';

/** A collection with no hooks and no relations: the baseline of a Directus write. */
export async function createPlainCollection(directus: BenchDirectus, name = 'bench_plain'): Promise<void> {
	const response = await directus.call('POST', '/collections', {
		collection: name,
		meta: {},
		schema: {},
		fields: [
			{ field: 'id', type: 'uuid', meta: { hidden: true, special: ['uuid'] }, schema: { is_primary_key: true } },
			{ field: 'name', type: 'string', meta: {}, schema: {} },
			{ field: 'email', type: 'string', meta: {}, schema: {} },
		],
	});
	if (response.status !== 200) throw new Error(`Creating ${name} failed: ${JSON.stringify(response.body)}`);
}

const plainItem = (n: number) => ({ name: `Plain ${n}`, email: `plain-${n}-${randomBytes(3).toString('hex')}@example.com` });

export async function provisioningCpu(directus: BenchDirectus, rounds = 8, perRound = 60): Promise<Result> {
	const sim = await startSimulator();
	try {
		const server = await registerServer(directus, sim);
		await createPlainCollection(directus);
		const customers = await createCustomers(directus, rounds * perRound + 20);
		const pid = directus.child.pid!;
		let next = 0;
		const provision = async () => {
			const response = await directus.call('POST', '/nextpanel/accounts', {
				customer: customers[next++],
				server,
				password: 'Bench-Password-123',
			});
			if (response.status !== 201) throw new Error(`Provisioning failed during the benchmark: ${JSON.stringify(response.body)}`);
		};
		const create = async (n: number) => {
			const response = await directus.call('POST', '/items/bench_plain', plainItem(n));
			if (response.status !== 200) throw new Error(`A plain create failed: ${JSON.stringify(response.body)}`);
		};
		// Warm up both paths.
		for (let i = 0; i < 20; i++) {
			await create(-i - 1);
			await provision();
		}
		const ratios: number[] = [];
		const plainMs: number[] = [];
		const provisionMs: number[] = [];
		for (let round = 0; round < rounds; round++) {
			let before = cpuMsOf(pid);
			for (let i = 0; i < perRound; i++) await create(round * perRound + i);
			const plain = cpuMsOf(pid) - before;
			before = cpuMsOf(pid);
			for (let i = 0; i < perRound; i++) await provision();
			const provisioning = cpuMsOf(pid) - before;
			plainMs.push(plain / perRound);
			provisionMs.push(provisioning / perRound);
			ratios.push(provisioning / plain);
		}
		const ratio = median(ratios);
		return {
			name: 'Directus CPU per provisioning (POST /nextpanel/accounts) vs a plain item create',
			figures: {
				rounds: `${rounds} × ${perRound} of each, alternating`,
				'plain create, CPU per request (ms, median of rounds)': round(median(plainMs), 2),
				'provisioning, CPU per request (ms, median of rounds)': round(median(provisionMs), 2),
				'ratio, median of rounds': round(ratio, 2),
				'ratio, range of rounds': `${round(Math.min(...ratios), 2)} - ${round(Math.max(...ratios), 2)}`,
			},
			target: '<= 1.5x',
			met: ratio <= 1.5,
		};
	} finally {
		await sim.simulator.close();
	}
}

/** Counts the statements knex sends for one provisioning and for one plain create, on an instance of its own. */
export async function statementsPerProvisioning(tmp: string, count = 20): Promise<Result> {
	const directus = await startDirectus(tmp, 'statements', { bundle: true, env: { DEBUG: 'knex:query', LOG_LEVEL: 'warn' } });
	const sim = await startSimulator();
	try {
		const server = await registerServer(directus, sim);
		await createPlainCollection(directus);
		const customers = await createCustomers(directus, count + 5);
		const statements = () =>
			readFileSync(directus.logFile, 'utf8')
				.split('\n')
				.filter((line) => line.includes('knex:query')).length;
		// A first request of each kind warms the caches (schema, permissions), as in a running project.
		await directus.call('POST', '/items/bench_plain', plainItem(0));
		await directus.call('POST', '/nextpanel/accounts', { customer: customers[count], server, password: 'Bench-Password-123' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		let before = statements();
		for (let i = 0; i < count; i++) await directus.call('POST', '/items/bench_plain', plainItem(i + 1));
		await new Promise((resolve) => setTimeout(resolve, 300));
		const plain = (statements() - before) / count;
		before = statements();
		for (let i = 0; i < count; i++)
			await directus.call('POST', '/nextpanel/accounts', { customer: customers[i], server, password: 'Bench-Password-123' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		const provisioning = (statements() - before) / count;
		return {
			name: 'Database statements per request (knex query log)',
			figures: {
				requests: count,
				'plain item create': round(plain, 1),
				'POST /nextpanel/accounts': round(provisioning, 1),
			},
		};
	} finally {
		await sim.simulator.close();
		await directus.stop();
	}
}
