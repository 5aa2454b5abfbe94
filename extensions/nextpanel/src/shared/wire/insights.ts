// What the /nextpanel/insights routes take and answer. The routes, the Insights panels and the
// module share these schemas, so the types come from them and a panel can check an answer.
import { z } from 'zod';
import { ACCOUNT_STATUSES } from '../account-states.ts';

const count = z.number().int().nonnegative();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD');
const share = z.number().min(0).nullable();

// ---- Answers -------------------------------------------------------------------------------

export const accountsInsightSchema = z.object({
	/** The server the figures are limited to, or null for all of them. */
	server: z.string().nullable(),
	total: count,
	by_status: z.object(
		Object.fromEntries(ACCOUNT_STATUSES.map((status) => [status, count])) as Record<(typeof ACCOUNT_STATUSES)[number], typeof count>,
	),
	/** Accounts the overdue job suspended and that are still suspended. */
	overdue: count,
	/** Active, not exempt accounts whose term ends between today and today + 7 days. */
	due_in_7_days: count,
});
export type AccountsInsight = z.infer<typeof accountsInsightSchema>;

export const INSIGHT_INTERVALS = ['day', 'week'] as const;
export type InsightInterval = (typeof INSIGHT_INTERVALS)[number];

export const provisioningBucketSchema = z.object({
	/** The first day of the bucket in the asked time zone; weeks start on Monday. */
	date: day,
	created: count,
	failed: count,
	retried: count,
	terminated: count,
});
export type ProvisioningBucket = z.infer<typeof provisioningBucketSchema>;

export const provisioningInsightSchema = z.object({
	from: day,
	to: day,
	interval: z.enum(INSIGHT_INTERVALS),
	tz: z.string(),
	/** Every bucket of the range, empty ones included, oldest first. */
	buckets: z.array(provisioningBucketSchema),
});
export type ProvisioningInsight = z.infer<typeof provisioningInsightSchema>;

export const capacityRowSchema = z.object({
	id: z.string(),
	name: z.string(),
	used: count,
	capacity: count,
	free: count,
	status: z.string(),
	/** The last connection check's status (`ok`, `unreachable`, ...), null before the first. */
	health: z.string().nullable(),
	last_check_at: z.string().nullable(),
});
export type CapacityRow = z.infer<typeof capacityRowSchema>;
export const capacityInsightSchema = z.array(capacityRowSchema);
export type CapacityInsight = z.infer<typeof capacityInsightSchema>;

export const USAGE_METRICS = ['disk', 'bandwidth', 'any'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

export const usageRowSchema = z.object({
	account: z.string(),
	username: z.string(),
	server: z.string().nullable(),
	server_name: z.string().nullable(),
	status: z.string(),
	disk_used_mb: z.number().nullable(),
	disk_limit_mb: z.number().nullable(),
	bandwidth_used_mb: z.number().nullable(),
	bandwidth_limit_mb: z.number().nullable(),
	/** used / limit; null when there is no limit. Above 1 when an account is over its limit. */
	disk_share: share,
	bandwidth_share: share,
	/** The larger of the shares asked for (`metric`); the rows are sorted by it. */
	share,
});
export type UsageRow = z.infer<typeof usageRowSchema>;
export const usageInsightSchema = z.array(usageRowSchema);
export type UsageInsight = z.infer<typeof usageInsightSchema>;

export const callsInsightSchema = z.object({
	/** The days counted, both included, in `tz`. */
	from: day,
	to: day,
	tz: z.string(),
	per_server: z.array(z.object({ server: z.string().nullable(), name: z.string().nullable(), calls: count, failed: count })),
	/** The ten newest failed calls, newest first. */
	last_errors: z.array(
		z.object({
			id: z.union([z.string(), z.number()]),
			date_created: z.string().nullable(),
			server: z.string().nullable(),
			action: z.string(),
			error_code: z.string().nullable(),
			http_status: z.number().nullable(),
			message: z.string().nullable(),
			hosting_account: z.string().nullable(),
		}),
	),
});
export type CallsInsight = z.infer<typeof callsInsightSchema>;

// ---- Query strings -------------------------------------------------------------------------

const optionalServer = z.uuid({ error: 'must be the id (a UUID) of a NextPanel server' }).optional();
/** A calendar day that exists: 2025-02-30 is refused, not rolled over. */
const calendarDay = day.refine((value) => {
	const [y, m, d] = value.split('-').map(Number) as [number, number, number];
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}, 'is not a day of the calendar');
const timeZone = z.string().refine((value) => {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}, 'must be an IANA time zone such as Europe/Berlin');

export const accountsQuerySchema = z.object({ server: optionalServer });

export const provisioningQuerySchema = z.object({
	from: calendarDay.optional(),
	to: calendarDay.optional(),
	interval: z.enum(INSIGHT_INTERVALS, { error: 'must be day or week' }).default('day'),
	tz: timeZone.default('UTC'),
	server: optionalServer,
});

export const usageQuerySchema = z.object({
	limit: z.coerce
		.number({ error: 'must be a number' })
		.int('must be a whole number')
		.min(1, 'must be at least 1')
		.max(100, 'must be at most 100')
		.default(10),
	metric: z.enum(USAGE_METRICS, { error: 'must be disk, bandwidth or any' }).default('any'),
	server: optionalServer,
});

export const callsQuerySchema = z.object({
	from: calendarDay.optional(),
	to: calendarDay.optional(),
	tz: timeZone.default('UTC'),
	server: optionalServer,
});

export const capacityQuerySchema = z.object({});
