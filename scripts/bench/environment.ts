// Throwaway Directus instances and simulators for the benchmarks, booted like the test harness.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { additionsOnly, mapLimited } from '#nextpanel';
import { buildBundleIfStale } from '../lib/bundle-build.ts';
import { bootDirectus, newCredentials, type BootedDirectus, type StackCredentials } from '../lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../lib/throwaway-database.ts';
import { SimulatorControl } from '../simulator/control-client.ts';
import { createSimulator, type Simulator } from '../simulator/server.ts';

export interface BenchDirectus extends BootedDirectus {
	credentials: StackCredentials;
	database: TestDatabase;
	call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** PostgreSQL when BENCH_DB=pg, SQLite otherwise; each instance gets a database of its own. */
export const benchDatabaseKind = process.env['BENCH_DB'] === 'pg' ? 'pg' : 'sqlite';

export async function startDirectus(
	tmp: string,
	name: string,
	options: { bundle: boolean; env?: Record<string, string> },
): Promise<BenchDirectus> {
	// BENCH_NO_BUILD keeps a bundle built by hand (an unminified one for profiling).
	if (!process.env['BENCH_NO_BUILD']) buildBundleIfStale();
	const credentials = newCredentials();
	const empty = join(tmp, `${name}-no-extensions`);
	mkdirSync(empty, { recursive: true });
	const folder = join(tmp, name);
	mkdirSync(folder, { recursive: true });
	const database = await createTestDatabase(benchDatabaseKind, folder);
	// To measure an earlier version of the bundle in the same way (the "before" figures):
	// BENCH_EXTENSIONS_PATH names its extensions folder, BENCH_SNAPSHOT the schema it expects.
	const otherBundle = process.env['BENCH_EXTENSIONS_PATH'];
	const earlierSnapshot = process.env['BENCH_SNAPSHOT'];
	const installFirst = Boolean(earlierSnapshot) || !options.bundle;
	if (installFirst) {
		// The baseline runs without the bundle but needs its tables, so that only the bundle's code
		// differs: they are installed the way any project gets them, by one start with the bundle.
		// The first release had no installer: its snapshot is added as the plugin adds its own.
		const installer = await bootDirectus({
			database: database.env,
			credentials,
			tmp,
			name: `${name}-install`,
			prepare: true,
			...(earlierSnapshot ? { extensionsPath: empty } : {}),
			env: { LOG_LEVEL: 'warn', LOG_STYLE: 'raw', NEXTPANEL_SCHEDULE_ENABLED: 'false' },
		});
		try {
			if (earlierSnapshot) await addSnapshot(installer.url, credentials.adminToken, earlierSnapshot);
		} finally {
			await installer.stop();
		}
	}
	const booted = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name,
		prepare: !installFirst,
		...(options.bundle ? (otherBundle ? { extensionsPath: otherBundle } : {}) : { extensionsPath: empty }),
		env: {
			LOG_LEVEL: 'warn',
			LOG_STYLE: 'raw',
			NEXTPANEL_WRITE_TIMEOUT_MS: '10000',
			NEXTPANEL_READ_TIMEOUT_MS: '10000',
			NEXTPANEL_SCHEDULE_ENABLED: 'false',
			...options.env,
		},
	});
	return {
		...booted,
		async stop(signal?: NodeJS.Signals) {
			await booted.stop(signal);
			await database.drop();
		},
		credentials,
		database,
		async call<T>(method: string, path: string, body?: unknown) {
			const response = await fetch(`${booted.url}${path}`, {
				method,
				headers: { Authorization: `Bearer ${credentials.adminToken}`, 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return { status: response.status, body: (await response.json().catch(() => null)) as T };
		},
	};
}

/** Adds what a snapshot has and the database lacks (Directus's diff in merge mode, additions only). */
async function addSnapshot(url: string, token: string, file: string): Promise<void> {
	const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
	const diffed = await fetch(`${url}/schema/diff?mode=merge&force=true`, {
		method: 'POST',
		headers,
		body: JSON.stringify(parse(readFileSync(file, 'utf8'))),
	});
	if (diffed.status === 204) return;
	if (!diffed.ok) throw new Error(`Comparing ${file} with the bench database failed: ${diffed.status} ${await diffed.text()}`);
	const { data } = (await diffed.json()) as { data: { hash: string; diff: Parameters<typeof additionsOnly>[0] } };
	const applied = await fetch(`${url}/schema/apply`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ hash: data.hash, diff: additionsOnly(data.diff) }),
	});
	if (!applied.ok) throw new Error(`Adding ${file} to the bench database failed: ${applied.status} ${await applied.text()}`);
}

export interface BenchSimulator {
	simulator: Simulator;
	control: SimulatorControl;
	key: string;
	secret: string;
}

export async function startSimulator(): Promise<BenchSimulator> {
	const key = `npk_${randomBytes(6).toString('hex')}`;
	const secret = `nps_${randomBytes(12).toString('hex')}`;
	const simulator = await createSimulator({ keys: [] });
	const control = new SimulatorControl(simulator.controlUrl);
	await control.addKey({ key, secret, level: 'SUPER_ADMIN' });
	return { simulator, control, key, secret };
}

export async function registerServer(directus: BenchDirectus, sim: BenchSimulator, capacity = 100_000): Promise<string> {
	const response = await directus.call<{ data: { id: string } }>('POST', '/items/nextpanel_servers', {
		name: `Bench ${sim.simulator.apiPort}`,
		base_url: sim.simulator.apiUrl,
		api_key: sim.key,
		api_secret: sim.secret,
		capacity,
	});
	if (response.status !== 200) throw new Error(`Registering the bench server failed: ${JSON.stringify(response.body)}`);
	return response.body.data.id;
}

let sequence = 0;

/** Creates customers (without provisioning) as fast as Directus takes them. */
export async function createCustomers(directus: BenchDirectus, count: number, concurrency = 16): Promise<string[]> {
	const numbers = Array.from({ length: count }, () => ++sequence);
	return mapLimited(numbers, concurrency, async (n) => {
		const response = await directus.call<{ data: { id: string } }>('POST', '/items/customers', {
			full_name: `Bench Customer ${n}`,
			email: `bench-${n}-${randomBytes(3).toString('hex')}@example.com`,
		});
		if (response.status !== 200) throw new Error(`Creating a customer failed: ${JSON.stringify(response.body)}`);
		return response.body.data.id;
	});
}
