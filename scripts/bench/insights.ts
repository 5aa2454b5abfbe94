// `npm run bench -- insights`: the insight routes over 100,000 hosting accounts and 1,000,000
// call-log rows, on the bench's database (SQLite, or PostgreSQL with BENCH_DB=pg). The rows are
// written straight into the tables in batches (the routes only read them), spread over the last
// 365 days in the mix a busy install logs; then each route is called N times and its p50 / p95
// reported. Nothing is asserted: the target (p95 <= 200 ms) is reported as met or not.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { connectTo } from '../lib/throwaway-database.ts';
import type { BenchDirectus } from './environment.ts';
import type { Result } from './measurements.ts';
import { percentile, round, timed } from './stats.ts';

const DAY_MS = 86_400_000;

/** A small deterministic generator, so every run seeds the same rows. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1_664_525 + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

// Which calls a busy install logs, by share: mostly the usage and health jobs.
const ACTIONS: [action: string, share: number][] = [
	['get_stats', 0.5],
	['health', 0.15],
	['list_accounts', 0.1],
	['create_account', 0.12],
	['get_account', 0.04],
	['suspend_account', 0.03],
	['unsuspend_account', 0.02],
	['delete_account', 0.04],
];

function pick(r: number): string {
	let sum = 0;
	for (const [action, share] of ACTIONS) {
		sum += share;
		if (r < sum) return action;
	}
	return 'get_stats';
}

const STATUSES: [status: string, share: number][] = [
	['active', 0.7],
	['suspended', 0.1],
	['terminated', 0.1],
	['failed', 0.05],
	['pending', 0.04],
	['provisioning', 0.01],
];

function status(r: number): string {
	let sum = 0;
	for (const [name, share] of STATUSES) {
		sum += share;
		if (r < sum) return name;
	}
	return 'active';
}

async function inBatches<T>(db: Knex, table: string, total: number, batch: number, row: (i: number) => T, log: (done: number) => void) {
	for (let start = 0; start < total; start += batch * 10) {
		// Ten batches per transaction: SQLite writes far faster inside one, PostgreSQL does not mind.
		await db.transaction(async (trx) => {
			for (let from = start; from < Math.min(total, start + batch * 10); from += batch) {
				const rows = Array.from({ length: Math.min(batch, total - from) }, (_, k) => row(from + k));
				await trx(table).insert(rows);
			}
		});
		log(Math.min(total, start + batch * 10));
	}
}

export async function insightsLoad(
	directus: BenchDirectus,
	{ accounts = 100_000, logs = 1_000_000, rounds = 50 }: { accounts?: number; logs?: number; rounds?: number } = {},
): Promise<Result> {
	const db = connectTo(directus.database.env);
	const sqlite = directus.database.env['DB_CLIENT'] === 'sqlite3';
	const stamp = (ms: number) => (sqlite ? String(ms) : new Date(ms));
	const now = Date.now();
	const rnd = random(20);
	// knex writes a multi-row insert for SQLite as a compound SELECT, which SQLite caps at 500 terms.
	const batch = sqlite ? 450 : 2000;
	/** A date field as Directus writes it: local midnight. */
	const dateField = (offsetDays: number) => {
		const date = new Date(now + offsetDays * DAY_MS);
		date.setHours(0, 0, 0, 0);
		return date;
	};
	try {
		const servers = Array.from({ length: 8 }, (_, i) => ({
			id: randomUUID(),
			name: `Bench insights ${i + 1}`,
			base_url: `http://127.0.0.1:9/${i}`,
			api_key: `npk_bench_${i}`,
			// Never sent anywhere: the bench makes no NextPanel call.
			api_secret: 'not-a-secret',
			capacity: 20_000,
			status: i === 7 ? 'disabled' : 'active',
			last_check_status: i === 6 ? 'unreachable' : 'ok',
			last_check_at: stamp(now - 60_000),
		}));
		await db('nextpanel_servers').insert(servers);

		const seedStart = performance.now();
		const accountIds: string[] = [];
		await inBatches(
			db,
			'hosting_accounts',
			accounts,
			batch,
			(i) => {
				const id = randomUUID();
				accountIds.push(id);
				const state = status(rnd());
				const live = state === 'active' || state === 'suspended';
				const diskLimit = rnd() < 0.9 ? 10_240 : null;
				const bandwidthLimit = rnd() < 0.8 ? 102_400 : null;
				return {
					id,
					server: servers[i % servers.length]!.id,
					username: `bi${String(i).padStart(6, '0')}`,
					status: state,
					attempts: 1,
					next_attempt_ms: state === 'pending' ? now + 365 * DAY_MS : null,
					disk_used_mb: live ? Math.floor(rnd() * 11_000) : null,
					disk_limit_mb: diskLimit,
					bandwidth_used_mb: live ? Math.floor(rnd() * 110_000) : null,
					bandwidth_limit_mb: bandwidthLimit,
					paid_until: rnd() < 0.5 ? dateField(Math.floor((rnd() - 0.3) * 60)) : null,
					overdue_exempt: rnd() < 0.05,
					overdue_suspended_at: state === 'suspended' && rnd() < 0.5 ? stamp(now - 3 * DAY_MS) : null,
				};
			},
			(done) => done % 20_000 === 0 && process.stderr.write(`bench: insights: ${done} accounts\n`),
		);
		const accountsSeconds = (performance.now() - seedStart) / 1000;

		const logStart = performance.now();
		await inBatches(
			db,
			'nextpanel_logs',
			logs,
			batch,
			() => {
				const action = pick(rnd());
				const server = servers[Math.floor(rnd() * servers.length)]!.id;
				const perAccount = action !== 'health' && action !== 'list_accounts';
				const error = rnd() < (action === 'create_account' ? 0.15 : 0.04);
				return {
					date_created: stamp(now - Math.floor(rnd() * 365 * DAY_MS)),
					action,
					server,
					hosting_account: perAccount ? accountIds[Math.floor(rnd() * accountIds.length)]! : null,
					http_status: error ? 503 : 200,
					duration_ms: 20 + Math.floor(rnd() * 200),
					outcome: error ? 'error' : 'ok',
					error_code: error ? 'server_error' : null,
					message: error ? 'NextPanel answered 503: try again later.' : null,
					request: '{"method":"GET","path":"/api/v1/billing/accounts"}',
					response: 'null',
				};
			},
			(done) => done % 200_000 === 0 && process.stderr.write(`bench: insights: ${done} call-log rows\n`),
		);
		const logsSeconds = (performance.now() - logStart) / 1000;
		// PostgreSQL's autovacuum would analyse the new rows within a minute; the bench does not wait for it.
		if (!sqlite) await db.raw('ANALYZE hosting_accounts, nextpanel_logs');

		const day = (offset: number) => new Date(now + offset * DAY_MS).toISOString().slice(0, 10);
		const server = servers[0]!.id;
		const routes: [label: string, path: string][] = [
			['accounts', '/nextpanel/insights/accounts'],
			['accounts, one server', `/nextpanel/insights/accounts?server=${server}`],
			['provisioning, 30 days', '/nextpanel/insights/provisioning'],
			['provisioning, 30 days, Europe/Berlin, one server', `/nextpanel/insights/provisioning?tz=Europe/Berlin&server=${server}`],
			['provisioning, 366 days', `/nextpanel/insights/provisioning?from=${day(-365)}&to=${day(0)}`],
			['provisioning, a year of weeks', `/nextpanel/insights/provisioning?from=${day(-365)}&to=${day(0)}&interval=week`],
			['capacity', '/nextpanel/insights/capacity'],
			['usage, top 10', '/nextpanel/insights/usage'],
			['usage, top 100 by disk, one server', `/nextpanel/insights/usage?limit=100&metric=disk&server=${server}`],
			['calls, 30 days', '/nextpanel/insights/calls'],
			['calls, 30 days, one server', `/nextpanel/insights/calls?server=${server}`],
			['calls, 366 days', `/nextpanel/insights/calls?from=${day(-365)}&to=${day(0)}`],
		];
		const figures: Record<string, string | number> = {
			'hosting accounts': accounts.toLocaleString('en'),
			'call-log rows (over 365 days)': logs.toLocaleString('en'),
			'seeding: accounts / call log (s)': `${round(accountsSeconds)} / ${round(logsSeconds)}`,
		};
		let worst = 0;
		for (const [label, path] of routes) {
			for (let i = 0; i < 3; i++) {
				const warm = await directus.call('GET', path);
				if (warm.status !== 200) throw new Error(`${path} answered ${warm.status}: ${JSON.stringify(warm.body).slice(0, 300)}`);
			}
			const samples: number[] = [];
			for (let i = 0; i < rounds; i++) samples.push((await timed(() => directus.call('GET', path))).ms);
			const p95 = percentile(samples, 95);
			worst = Math.max(worst, p95);
			figures[`${label}: p50 / p95 (ms)`] = `${round(percentile(samples, 50))} / ${round(p95)}`;
		}
		return {
			name: `Insight routes over ${accounts.toLocaleString('en')} hosting accounts and ${logs.toLocaleString('en')} call-log rows (${rounds} calls each, as an administrator)`,
			figures,
			target: 'every insight route p95 <= 200 ms',
			met: worst <= 200,
		};
	} finally {
		await db.destroy();
	}
}
