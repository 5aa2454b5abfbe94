// Calendar days and weeks of a time zone as ranges of instants. The database then only compares
// timestamps with these edges, so SQLite needs no time-zone support and a DST day of 23 or 25
// hours is counted as the one day people see on their calendar.
import type { InsightInterval } from '../../shared/wire/insights.ts';

export interface Bucket {
	/** The bucket's first day, YYYY-MM-DD in the asked time zone. */
	date: string;
	start: Date;
	/** Exclusive: the next bucket's start. */
	end: Date;
}

export interface BucketRange {
	from: string;
	to: string;
	interval: InsightInterval;
	buckets: Bucket[];
}

/** Longest range per interval: a year of day bars, five years of week bars. */
export const MAX_DAYS: Readonly<Record<InsightInterval, number>> = { day: 366, week: 5 * 366 };

/** A range the routes refuse (400), with the reason in words. */
export class InsightRangeError extends Error {}

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
	let format = formatters.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(timeZone, format);
	}
	return format;
}

/** The wall-clock time at `instant` in the zone, read as if it were UTC (ms). */
function wallClock(instant: number, timeZone: string): number {
	const parts = Object.fromEntries(
		formatter(timeZone)
			.formatToParts(new Date(instant))
			.map((p) => [p.type, p.value]),
	);
	return Date.UTC(+parts['year']!, +parts['month']! - 1, +parts['day']!, +parts['hour']!, +parts['minute']!, +parts['second']!);
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOfNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
	return dayOfNumber(dayNumber(day) + days);
}

/** The day an instant falls on in the zone. */
export function dayIn(instant: Date, timeZone: string): string {
	return new Date(wallClock(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/**
 * The first instant of a calendar day in the zone: usually its midnight; where a DST change
 * skips midnight (clocks jump from 00:00 to 01:00), the first minute that exists.
 */
export function startOfDay(day: string, timeZone: string): Date {
	const midnight = dayNumber(day) * DAY_MS;
	// The zone's offset is read at two guesses: around a change, one of them is right.
	const first = midnight - (wallClock(midnight, timeZone) - midnight);
	const second = midnight - (wallClock(first, timeZone) - first);
	const candidates = [first, second].filter((instant) => dayIn(new Date(instant), timeZone) === day);
	if (candidates.length) {
		const onMidnight = candidates.filter((instant) => wallClock(instant, timeZone) === midnight);
		return new Date(Math.min(...(onMidnight.length ? onMidnight : candidates)));
	}
	// Midnight does not exist that day: the day starts where the gap ends.
	return new Date(Math.max(first, second));
}

/** Monday of the day's week (ISO weeks). */
export function mondayOf(day: string): string {
	const n = dayNumber(day);
	// Day 0 of the epoch was a Thursday.
	const weekday = (((n + 3) % 7) + 7) % 7;
	return dayOfNumber(n - weekday);
}

/**
 * Every bucket from `from` to `to`, both days included. Weeks are whole ISO weeks, so the range
 * grows to the Monday before `from` and the Sunday after `to`, and the answer says so.
 */
export function bucketRange(
	{ from, to, interval }: { from: string; to: string; interval: InsightInterval },
	timeZone: string,
): BucketRange {
	if (dayNumber(from) > dayNumber(to)) throw new InsightRangeError(`from (${from}) is after to (${to})`);
	const days = dayNumber(to) - dayNumber(from) + 1;
	if (days > MAX_DAYS[interval]) {
		throw new InsightRangeError(
			`the range has ${days} days; a ${interval} chart covers at most ${MAX_DAYS[interval]} days${interval === 'day' ? ', use interval=week for longer' : ''}`,
		);
	}
	const first = interval === 'week' ? mondayOf(from) : from;
	const last = interval === 'week' ? addDays(mondayOf(to), 6) : to;
	const step = interval === 'week' ? 7 : 1;
	const buckets: Bucket[] = [];
	let next = startOfDay(first, timeZone);
	for (let day = first; dayNumber(day) <= dayNumber(last); day = addDays(day, step)) {
		const start = next;
		next = startOfDay(addDays(day, step), timeZone);
		buckets.push({ date: day, start, end: next });
	}
	return { from: first, to: last, interval, buckets };
}

/** The instants a day range covers, both days included, for counts without buckets. */
export function dayRange(from: string, to: string, timeZone: string, maxDays: number): { start: Date; end: Date } {
	if (dayNumber(from) > dayNumber(to)) throw new InsightRangeError(`from (${from}) is after to (${to})`);
	const days = dayNumber(to) - dayNumber(from) + 1;
	if (days > maxDays) throw new InsightRangeError(`the range has ${days} days; at most ${maxDays} are counted`);
	return { start: startOfDay(from, timeZone), end: startOfDay(addDays(to, 1), timeZone) };
}

/** The default range: the 30 days up to today in the zone. */
export function defaultRange(query: { from?: string | undefined; to?: string | undefined }, timeZone: string, now = new Date()) {
	const to = query.to ?? dayIn(now, timeZone);
	const from = query.from ?? addDays(to, -29);
	return { from, to };
}
