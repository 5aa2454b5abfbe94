// One function per benchmark. Each measures two things side by side in the same run and
// reports their ratio or difference, so the figures do not depend on how fast the machine is.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mapLimited } from '#nextpanel';
import { bundlePath } from '../lib/paths.ts';
import { createCustomers, registerServer, startSimulator, type BenchDirectus } from './environment.ts';
import { mean, memoryOf, percentile, round, timed } from './stats.ts';

export interface Result {
	name: string;
	figures: Record<string, number | string>;
	target?: string;
	met?: boolean;
}

/** Customer creates with the flag off: Directus with the bundle vs the same Directus without it. */
export async function flagOffOverhead(withBundle: BenchDirectus, without: BenchDirectus, rounds = 400): Promise<Result> {
	const create = async (directus: BenchDirectus, n: number) => {
		const response = await directus.call('POST', '/items/customers', {
			full_name: `Overhead ${n}`,
			email: `overhead-${n}-${directus.url.slice(-5)}@example.com`,
			provision_hosting: false,
		});
		if (response.status !== 200) throw new Error(`A customer create failed during the benchmark: ${JSON.stringify(response.body)}`);
	};
	for (let i = 0; i < 40; i++) await Promise.all([create(withBundle, -i - 1), create(without, -i - 1)]);
	const samples = { with: [] as number[], without: [] as number[] };
	// Interleaved, so drift on the machine affects both sides alike.
	for (let i = 0; i < rounds; i++) {
		samples.with.push((await timed(() => create(withBundle, i))).ms);
		samples.without.push((await timed(() => create(without, i))).ms);
	}
	const ratio = mean(samples.with) / mean(samples.without);
	return {
		name: 'Customer create, flag off: bundle loaded vs not loaded',
		figures: {
			requests: rounds,
			'mean with bundle (ms)': round(mean(samples.with), 2),
			'mean without (ms)': round(mean(samples.without), 2),
			'p50 with / without (ms)': `${round(percentile(samples.with, 50), 2)} / ${round(percentile(samples.without, 50), 2)}`,
			ratio: round(ratio, 3),
		},
		target: '<= 1.03x',
		met: ratio <= 1.03,
	};
}

/** POST /nextpanel/accounts vs creating the same account on the simulator directly, both with 50 ms of injected latency. */
export async function endpointOverhead(directus: BenchDirectus, count = 120): Promise<Result> {
	const sim = await startSimulator();
	try {
		const server = await registerServer(directus, sim);
		await sim.control.addFault({ kind: 'latency', ms: 50, match: { method: 'POST', path: '/api/v1/billing/accounts' } });
		const customers = await createCustomers(directus, count);
		const direct: number[] = [];
		const through: number[] = [];
		for (let i = 0; i < count; i++) {
			direct.push(
				(
					await timed(() =>
						fetch(`${sim.simulator.apiUrl}/api/v1/billing/accounts`, {
							method: 'POST',
							headers: { 'content-type': 'application/json', 'X-API-Key': sim.key, 'X-API-Secret': sim.secret },
							body: JSON.stringify({
								username: `direct${i}x`,
								email: `direct${i}@example.com`,
								password: 'Bench-Password-123',
								billing_id: customers[i],
							}),
						}).then((r) => r.text()),
					)
				).ms,
			);
			const { ms, value } = await timed(() =>
				directus.call('POST', '/nextpanel/accounts', { customer: customers[i], server, password: 'Bench-Password-123' }),
			);
			if (value.status !== 201) throw new Error(`Provisioning failed during the benchmark: ${JSON.stringify(value.body)}`);
			through.push(ms);
		}
		const added50 = percentile(through, 50) - percentile(direct, 50);
		const added95 = percentile(through, 95) - percentile(direct, 95);
		return {
			name: 'POST /nextpanel/accounts vs the simulator directly (50 ms latency)',
			figures: {
				requests: count,
				'direct p50 / p95 (ms)': `${round(percentile(direct, 50))} / ${round(percentile(direct, 95))}`,
				'through Directus p50 / p95 (ms)': `${round(percentile(through, 50))} / ${round(percentile(through, 95))}`,
				'added p50 (ms)': round(added50),
				'added p95 (ms)': round(added95),
			},
			target: 'added p50 <= 10 ms, p95 <= 30 ms',
			met: added50 <= 10 && added95 <= 30,
		};
	} finally {
		await sim.simulator.close();
	}
}

/** From saving a customer with the flag to its hosting account being active, NextPanel at 100 ms. */
export async function saveToActive(directus: BenchDirectus, count = 60): Promise<Result> {
	const sim = await startSimulator();
	try {
		const server = await registerServer(directus, sim);
		await sim.control.addFault({ kind: 'latency', ms: 100, match: { method: 'POST', path: '/api/v1/billing/accounts' } });
		const samples: number[] = [];
		const saves: number[] = [];
		for (let i = 0; i < count; i++) {
			const started = performance.now();
			const created = await directus.call<{ data: { id: string } }>('POST', '/items/customers', {
				full_name: `Save ${i}`,
				email: `save-${i}-${Date.now()}@example.com`,
				provision_hosting: true,
				hosting_server: server,
			});
			saves.push(performance.now() - started);
			for (;;) {
				const accounts = await directus.call<{ data: { status: string }[] }>(
					'GET',
					`/items/hosting_accounts?filter[customer][_eq]=${created.body.data.id}&fields=status`,
				);
				if (accounts.body.data[0]?.status === 'active') break;
				if (performance.now() - started > 10_000) throw new Error('An account did not become active within 10 s');
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
			samples.push(performance.now() - started);
		}
		return {
			name: 'Save → active, NextPanel at 100 ms',
			figures: {
				customers: count,
				'save response p50 (ms)': round(percentile(saves, 50)),
				'active after p50 (ms)': round(percentile(samples, 50)),
				'active after p95 (ms)': round(percentile(samples, 95)),
				'above the 100 ms NextPanel takes, p50 (ms)': round(percentile(samples, 50) - 100),
			},
		};
	} finally {
		await sim.simulator.close();
	}
}

/** 1,000 provisionings at 50 ms latency and concurrency C against the ideal 1,000 × 50 ms / C. */
export async function throughput(directus: BenchDirectus, total = 1000, concurrency = 10, latencyMs = 50): Promise<Result> {
	const sim = await startSimulator();
	try {
		const server = await registerServer(directus, sim);
		await sim.control.addFault({ kind: 'latency', ms: latencyMs, match: { method: 'POST', path: '/api/v1/billing/accounts' } });
		const customers = await createCustomers(directus, total);
		const before = memoryOf(directus.child.pid!);
		const { ms, value: statuses } = await timed(() =>
			mapLimited(
				customers,
				concurrency,
				async (customer) =>
					(await directus.call('POST', '/nextpanel/accounts', { customer, server, password: 'Bench-Password-123' })).status,
			),
		);
		const failures = statuses.filter((status) => status !== 201).length;
		const after = memoryOf(directus.child.pid!);
		const ideal = (total * latencyMs) / concurrency;
		const efficiency = ideal / ms;
		return {
			name: `${total} provisionings, ${latencyMs} ms latency, concurrency ${concurrency}`,
			figures: {
				'wall time (ms)': Math.round(ms),
				'ideal (ms)': Math.round(ideal),
				'efficiency (ideal / actual)': round(efficiency, 3),
				failures,
				'Directus RSS before / after (MB)': `${before.rssMb} / ${after.rssMb}`,
				'Directus peak RSS before / after (MB)': `${before.peakMb} / ${after.peakMb}`,
			},
			target: '>= 0.87 of ideal',
			met: efficiency >= 0.87 && failures === 0,
		};
	} finally {
		await sim.simulator.close();
	}
}

/** The connection test of a server that accepts connections and never answers, against its timeout. */
export async function blackHoleTest(directus: BenchDirectus, timeoutMs: number): Promise<Result> {
	const sim = await startSimulator();
	try {
		await sim.control.addFault({ kind: 'blackhole', match: { path: '/api/health' } });
		const samples: number[] = [];
		for (let i = 0; i < 5; i++) {
			const { ms, value } = await timed(() =>
				directus.call<{ status: string }>('POST', '/nextpanel/servers/test', {
					base_url: sim.simulator.apiUrl,
					api_key: sim.key,
					api_secret: sim.secret,
				}),
			);
			if (value.body.status !== 'timeout') throw new Error(`Expected a timeout, got ${JSON.stringify(value.body)}`);
			samples.push(ms);
		}
		const ratio = mean(samples) / timeoutMs;
		return {
			name: 'Connection test against a black-holed port',
			figures: {
				'configured timeout (ms)': timeoutMs,
				'mean answer after (ms)': Math.round(mean(samples)),
				'max (ms)': Math.round(Math.max(...samples)),
				ratio: round(ratio, 3),
			},
			target: 'answers once, at the timeout (ratio ≈ 1)',
			met: ratio < 1.2,
		};
	} finally {
		await sim.simulator.close();
	}
}

export function bundleSize(): Result {
	const size = (file: string) => {
		const path = join(bundlePath, 'dist', file);
		return { raw: statSync(path).size, gzip: gzipSync(readFileSync(path)).length };
	};
	const app = size('app.js');
	const api = size('api.js');
	const kb = (bytes: number) => round(bytes / 1024, 1);
	return {
		name: 'Bundle size',
		figures: { 'app.js raw / gzip (KB)': `${kb(app.raw)} / ${kb(app.gzip)}`, 'api.js raw / gzip (KB)': `${kb(api.raw)} / ${kb(api.gzip)}` },
	};
}
