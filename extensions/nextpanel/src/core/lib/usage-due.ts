// Which accounts the usage job reads on a run. Reading every live account on every run cost a
// NextPanel server 40,000 stats calls an hour for 10,000 accounts; the figures only need to be
// fresher than NEXTPANEL_USAGE_MAX_AGE. So each account is due by the age of its last sync, and
// each run takes its share of a server's fleet (N * P / MAX_AGE, oldest first, never-synced
// first of all): the calls spread evenly over MAX_AGE, and no figure gets older than MAX_AGE + P.
import type { Knex } from 'knex';
import { z } from 'zod';
import { storedTimestamp } from './call-log.ts';

/** Statuses whose accounts have usage figures worth reading. */
export const LIVE_STATUSES = ['active', 'suspended'] as const;

/** Share of a run's period the job may spend calling one server; the rest is left for retries and on-demand syncs. */
export const RUN_SHARE = 0.8;

export interface UsagePlanInput {
	/** Live accounts on the server (N). */
	liveCount: number;
	/** Time between two runs of the job (P). */
	periodMs: number;
	/** The oldest a figure may get before it is read again (MAX_AGE). */
	maxAgeMs: number;
	/** Calls per second the server is given; caps the batch at what one run can send. */
	ratePerSecond?: number;
}

export interface UsagePlan {
	/** Accounts to read on this run, at most. */
	limit: number;
	/** The batch MAX_AGE asks for, before the rate cap. */
	wanted: number;
	/** True when the rate cap cut the batch: MAX_AGE cannot be kept at this rate. */
	limitedByRate: boolean;
	/** An account whose last sync is older than this many milliseconds is due (never synced: always). */
	dueAfterMs: number;
}

/**
 * The batch of one server on one run. The share N * P / MAX_AGE is rounded up, so a fleet is
 * covered in at most MAX_AGE / P runs; an account is due once it would pass MAX_AGE before the
 * next run (its age is at least MAX_AGE - P), so a fresh one is never read again early.
 */
export function planUsageBatch({ liveCount, periodMs, maxAgeMs, ratePerSecond }: UsagePlanInput): UsagePlan {
	const dueAfterMs = Math.max(0, maxAgeMs - periodMs);
	if (!(liveCount > 0) || !(periodMs > 0) || !(maxAgeMs > 0)) return { limit: 0, wanted: 0, limitedByRate: false, dueAfterMs };
	const wanted = Math.min(liveCount, Math.ceil((liveCount * periodMs) / maxAgeMs));
	const capacity =
		ratePerSecond !== undefined && ratePerSecond > 0 ? Math.max(1, Math.floor((ratePerSecond * periodMs * RUN_SHARE) / 1000)) : Infinity;
	const limit = Math.min(wanted, capacity);
	return { limit, wanted, limitedByRate: limit < wanted, dueAfterMs };
}

/**
 * Live accounts per active server: the N of each server's plan. A disabled server is out of
 * service for the plugin, as for the health and drift jobs; an on-demand sync still reads it.
 */
export async function liveAccountCounts(knex: Knex): Promise<Map<string, number>> {
	const rows: { server: string | number | null; live: string | number }[] = await knex('hosting_accounts')
		.select('hosting_accounts.server as server')
		.count({ live: '*' })
		.join('nextpanel_servers', 'nextpanel_servers.id', 'hosting_accounts.server')
		.where('nextpanel_servers.status', 'active')
		.whereIn('hosting_accounts.status', [...LIVE_STATUSES])
		.whereNotNull('hosting_accounts.nextpanel_account_id')
		.groupBy('hosting_accounts.server');
	return new Map(rows.map((row) => [String(row.server), Number(row.live)]));
}

/** The due accounts of one server, oldest sync first (never synced before all), at most `limit`. */
export async function dueUsageAccounts(
	knex: Knex,
	{ serverId, nowMs, dueAfterMs, limit }: { serverId: string; nowMs: number; dueAfterMs: number; limit: number },
): Promise<string[]> {
	if (limit <= 0) return [];
	const cutoff = storedTimestamp(knex, new Date(nowMs - dueAfterMs));
	const rows: { id: string | number }[] = await knex('hosting_accounts')
		.select('id')
		.where({ server: serverId })
		.whereIn('status', [...LIVE_STATUSES])
		.whereNotNull('nextpanel_account_id')
		.where((q) => q.whereNull('usage_synced_at').orWhere('usage_synced_at', '<=', cutoff))
		// Spelled out: knex's `nulls: 'first'` on SQLite orders by the null test alone and drops the
		// column, so the oldest figures would not come first and high ids would starve.
		.orderByRaw('(?? is null) desc, ?? asc, ?? asc', ['usage_synced_at', 'usage_synced_at', 'id'])
		.limit(limit);
	return rows.map((row) => String(row.id));
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `21600000`, `6h`, `30m`, `1h30m`, `90s`, `1d` as milliseconds; NaN when it is none of these. */
export function parseDuration(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string') return Number.NaN;
	const text = value.trim().toLowerCase();
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
	const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g)];
	if (!parts.length || parts.map((p) => p[0]).join('') !== text.replace(/\s+/g, '')) return Number.NaN;
	return Math.round(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * DURATION_UNITS[unit!]!, 0));
}

/** A duration setting: milliseconds, or a duration such as `6h` or `30m`, at least one second. */
export const durationSetting = (fallbackMs: number) =>
	z.preprocess(
		(value) => (value === undefined || value === '' ? undefined : parseDuration(value)),
		z.number({ message: 'must be milliseconds or a duration such as 6h, 30m or 90s' }).int().min(1000).default(fallbackMs),
	);

/**
 * The period of a six-field cron expression (`sec min hour day month weekday`): the longest gap
 * between two runs in a day, so the staleness bound holds after the longest wait. Day, month
 * and weekday fields other than `*` count as one day.
 */
export function schedulePeriodMs(cron: string): number {
	const fields = cron.trim().split(/\s+/);
	if (fields.length === 5) fields.unshift('0');
	if (fields.length !== 6) return 86_400_000;
	const [sec, min, hour, ...rest] = fields as [string, string, string, ...string[]];
	if (rest.some((field) => field !== '*' && field !== '?')) return 86_400_000;
	const secs = cronValues(sec, 60);
	const mins = cronValues(min, 60);
	const hours = cronValues(hour, 24);
	if (!secs.length || !mins.length || !hours.length) return 86_400_000;
	const times: number[] = [];
	for (const h of hours) for (const m of mins) for (const s of secs) times.push(h * 3600 + m * 60 + s);
	times.sort((a, b) => a - b);
	let longest = times[0]! + 86_400 - times[times.length - 1]!;
	for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
	return longest * 1000;
}

function cronValues(field: string, size: number): number[] {
	const values = new Set<number>();
	for (const part of field.split(',')) {
		const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
		if (!match) return [];
		const [, start, end, step] = match;
		const from = start === '*' ? 0 : Number(start);
		const to = end !== undefined ? Number(end) : start === '*' || step !== undefined ? size - 1 : from;
		const by = step !== undefined ? Number(step) : 1;
		if (by < 1 || from > to || to >= size) return [];
		for (let v = from; v <= to; v += by) values.add(v);
	}
	return [...values];
}
