// `npm run bench`: every benchmark in one run; figures go to docs/benchmarks.md with the machine
// and the date. Nothing here is a pass/fail test: targets are reported, not asserted.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { assertNode22 } from '../lib/directus-process.ts';
import { projectRoot } from '../lib/paths.ts';
import { benchDatabaseKind, startDirectus, type BenchDirectus } from './environment.ts';
import { importAndDrift } from './adopt.ts';
import { overdueRun } from './overdue.ts';
import { insightsLoad } from './insights.ts';
import { usageLoad } from './usage.ts';
import { provisioningCpu, statementsPerProvisioning } from './cpu-and-statements.ts';
import { blackHoleTest, bundleSize, endpointOverhead, flagOffOverhead, saveToActive, throughput, type Result } from './measurements.ts';

assertNode22();
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);
const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-bench-'));
const started: BenchDirectus[] = [];
const results: Result[] = [];
const BLACK_HOLE_TIMEOUT = 2000;
/** Every benchmark asked for has run. */
class BenchDone extends Error {}

const step = async (name: string, run: () => Promise<Result> | Result) => {
	if (!wanted(name)) return;
	process.stderr.write(`bench: ${name}...\n`);
	const result = await run();
	results.push(result);
	process.stderr.write(`bench: ${name}: ${JSON.stringify(result.figures)}\n`);
};

try {
	// Needs no Directus: the planner and its query over a table of its own.
	await step('usage', () => usageLoad(Number(process.env['BENCH_USAGE_ACCOUNTS'] ?? 10_000)));
	if (only.size > 0 && [...only].every((name) => name === 'usage')) throw new BenchDone();
	const withBundle = await startDirectus(tmp, 'with-bundle', {
		bundle: true,
		env: { NEXTPANEL_TEST_TIMEOUT_MS: String(BLACK_HOLE_TIMEOUT) },
	});
	started.push(withBundle);
	await step('flag-off', async () => {
		const without = await startDirectus(tmp, 'without-bundle', { bundle: false });
		started.push(without);
		const result = await flagOffOverhead(withBundle, without);
		await without.stop();
		return result;
	});
	await step('endpoint', () => endpointOverhead(withBundle));
	await step('cpu', () => provisioningCpu(withBundle));
	await step('statements', () => statementsPerProvisioning(tmp));
	await step('save-to-active', () => saveToActive(withBundle));
	for (const concurrency of (process.env['BENCH_CONCURRENCY'] ?? '2,5,10').split(',').map(Number)) {
		await step('throughput', async () => {
			// A fresh instance each time, so memory before/after is about this workload alone.
			const fresh = await startDirectus(tmp, `throughput-${concurrency}`, { bundle: true });
			started.push(fresh);
			const result = await throughput(fresh, Number(process.env['BENCH_TOTAL'] ?? 1000), concurrency);
			await fresh.stop();
			return result;
		});
	}
	await step('black-hole', () => blackHoleTest(withBundle, BLACK_HOLE_TIMEOUT));
	if (wanted('import')) {
		// A fresh instance, so its peak memory is the import's.
		const fresh = await startDirectus(tmp, 'import', { bundle: true, env: { MAX_PAYLOAD_SIZE: '10mb' } });
		started.push(fresh);
		for (const result of await importAndDrift(fresh, Number(process.env['BENCH_IMPORT_TOTAL'] ?? 10_000))) {
			results.push(result);
			process.stderr.write(`bench: import: ${JSON.stringify(result.figures)}\n`);
		}
		await fresh.stop();
	}
	await step('overdue', async () => {
		// A fresh instance with the query log on; the customer mails are off (the bench has no mail server).
		const fresh = await startDirectus(tmp, 'overdue', {
			bundle: true,
			env: { MAX_PAYLOAD_SIZE: '10mb', DEBUG: 'knex:query', NEXTPANEL_OVERDUE_MAIL: 'false' },
		});
		started.push(fresh);
		const result = await overdueRun(fresh, { total: Number(process.env['BENCH_OVERDUE_TOTAL'] ?? 10_000), due: 1_000 });
		await fresh.stop();
		return result;
	});
	await step('insights', async () => {
		// A fresh instance: 100,000 accounts and a million call-log rows are for this step alone.
		const fresh = await startDirectus(tmp, 'insights', { bundle: true });
		started.push(fresh);
		const result = await insightsLoad(fresh, {
			accounts: Number(process.env['BENCH_INSIGHTS_ACCOUNTS'] ?? 100_000),
			logs: Number(process.env['BENCH_INSIGHTS_LOGS'] ?? 1_000_000),
			rounds: Number(process.env['BENCH_INSIGHTS_ROUNDS'] ?? 50),
		});
		await fresh.stop();
		return result;
	});
	await step('bundle-size', () => bundleSize());
} catch (error) {
	if (!(error instanceof BenchDone)) throw error;
} finally {
	await Promise.all(started.map((d) => d.stop()));
	if (!process.env['KEEP_BENCH']) rmSync(tmp, { recursive: true, force: true });
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${osType()} ${release()}, Node ${process.versions.node}, ${benchDatabaseKind === 'pg' ? 'PostgreSQL' : 'SQLite (WAL)'}`;
const lines = [
	'# Benchmarks',
	'',
	`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}, by \`npm run bench\`.`,
	'Each figure compares two things measured side by side in the same run; targets are reported, not asserted by tests.',
	'',
];
for (const result of results) {
	lines.push(`## ${result.name}`, '');
	if (result.target) lines.push(`Target: ${result.target} - **${result.met ? 'met' : 'not met'}**`, '');
	lines.push('| figure | value |', '| --- | --- |');
	for (const [key, value] of Object.entries(result.figures)) lines.push(`| ${key} | ${value} |`);
	lines.push('');
}
lines.push(readFileSync(join(projectRoot, 'scripts', 'bench', 'reading-the-figures.md'), 'utf8'));
const target = join(projectRoot, 'docs', benchDatabaseKind === 'pg' ? 'benchmarks-postgres.md' : 'benchmarks.md');
if (only.size === 0) writeFileSync(target, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
