// Reading panel options. Insights hands a panel its options with global variables already
// filled in; a variable that has no value yet stays as its `{{ name }}` placeholder, which must
// read as "not set" rather than reach the API as a server id or a date.
const PLACEHOLDER = /\{\{.*\}\}/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/** The option as trimmed text, or null when it is empty or an unfilled variable. */
export function optionText(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const text = value.trim();
	return text === '' || PLACEHOLDER.test(text) ? null : text;
}

/** A whole number within bounds, or the fallback when the option is empty or not a number. */
export function optionInteger(value: unknown, { fallback, min, max }: { fallback: number; min: number; max: number }): number {
	const text = optionText(value);
	const number = text === null ? NaN : Number(text);
	if (!Number.isFinite(number)) return fallback;
	return Math.min(max, Math.max(min, Math.round(number)));
}

/** The calendar day of a date option (`2026-03-01`, or a datetime variable's `2026-03-01T10:00:00`). */
export function optionDay(value: unknown): string | null {
	const match = DAY.exec(optionText(value) ?? '');
	if (!match) return null;
	const [, year, month, day] = match.map(Number) as [number, number, number, number];
	const date = new Date(Date.UTC(year, month - 1, day));
	// 2026-02-31 is not a day; Date would quietly make it 3 March.
	return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? match[0] : null;
}

/** The person's time zone, so that "today" and a day's bucket are the days they live in. */
export function browserTimeZone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The calendar day (YYYY-MM-DD) that an instant falls on in a time zone. */
export function dayIn(instant: Date, timeZone: string): string {
	const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
	const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return `${part('year')}-${part('month')}-${part('day')}`;
}

export function addDays(day: string, days: number): string {
	const [year, month, date] = day.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

export interface DayRange {
	from: string;
	to: string;
}

/**
 * The days a panel covers: From and To when set (in either order), else the last `days` days up
 * to today in the person's time zone, today included. One end alone counts `days` from it.
 */
export function dayRange(
	options: { from?: unknown; to?: unknown; days?: unknown },
	{ now = new Date(), timeZone = browserTimeZone(), defaultDays = 30 }: { now?: Date; timeZone?: string; defaultDays?: number } = {},
): DayRange {
	const days = optionInteger(options.days, { fallback: defaultDays, min: 1, max: 3660 });
	const from = optionDay(options.from);
	const to = optionDay(options.to);
	if (from && to) return from <= to ? { from, to } : { from: to, to: from };
	if (from) return { from, to: addDays(from, days - 1) };
	const end = to ?? dayIn(now, timeZone);
	return { from: addDays(end, -(days - 1)), to: end };
}

/** The dashboard's `now` (the time it last refreshed) as a Date; the clock when it is missing or not a time. */
export function panelNow(value: unknown): Date {
	const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
	return date && !Number.isNaN(date.getTime()) ? date : new Date();
}
