// Small formatting rules shared by the interfaces and the module, so a date or a size reads the
// same everywhere: in the language the person chose in Directus, not the server's or the browser's.
import type { AccountStatus } from '../../shared/api-types.ts';

export const NONE = '—';

/**
 * The app's language: Directus puts the user's language on <html lang> (and keeps it in sync when
 * it changes), so every part of the page formats alike. Outside a browser, the runtime's default.
 */
export function appLocale(): string | undefined {
	if (typeof document === 'undefined') return undefined;
	return document.documentElement.lang || undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
	let formatter = formatters.get(key) as T | undefined;
	if (!formatter) {
		formatter = make();
		formatters.set(key, formatter);
	}
	return formatter;
}

function dateTimeFormat(locale: string | undefined): Intl.DateTimeFormat {
	return cached(`dt:${locale ?? ''}`, () => {
		try {
			return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
		} catch {
			// A language tag Intl does not know: the runtime's default still reads well.
			return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
		}
	});
}

function parse(value: string | null | undefined): Date | null {
	if (!value) return null;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? null : date;
}

/** "Nov 30, 2026, 11:31 PM" in English, "30.11.2026, 23:31" in German. */
export function formatDate(value: string | null | undefined, locale: string | undefined = appLocale()): string {
	if (!value) return NONE;
	const date = parse(value);
	return date ? dateTimeFormat(locale).format(date) : value;
}

const RELATIVE_STEPS: [unit: Intl.RelativeTimeFormatUnit, seconds: number][] = [
	['year', 365 * 86400],
	['month', 30 * 86400],
	['week', 7 * 86400],
	['day', 86400],
	['hour', 3600],
	['minute', 60],
];

/** "3 minutes ago", "in 2 hours", "just now" (under a minute), in the app's language. */
/** A calendar day (YYYY-MM-DD) as the person's language writes it: "12 Mar 2026". Never shifted by a time zone. */
export function formatDay(day: string | null | undefined, locale: string | undefined = appLocale()): string {
	if (!day || !/^\d{4}-\d{2}-\d{2}/.test(day)) return NONE;
	const [year, month, date] = day.slice(0, 10).split('-').map(Number) as [number, number, number];
	const format = cached(`day:${locale ?? ''}`, () => {
		try {
			return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
		} catch {
			return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
		}
	});
	return format.format(new Date(Date.UTC(year, month - 1, date)));
}

export function formatRelative(
	value: string | null | undefined,
	now: number = Date.now(),
	locale: string | undefined = appLocale(),
): string {
	const date = parse(value);
	if (!date) return value ? value : NONE;
	const seconds = Math.round((date.getTime() - now) / 1000);
	const format = cached(`rel:${locale ?? ''}`, () => {
		try {
			return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
		} catch {
			return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
		}
	});
	for (const [unit, size] of RELATIVE_STEPS) {
		if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
	}
	return format.format(0, 'second');
}

/** One decimal for gigabytes, whole megabytes below, with the app's decimal separator. */
export function formatMegabytes(mb: number, locale: string | undefined = appLocale()): string {
	const oneDecimal = cached(`n1:${locale ?? ''}`, () => {
		try {
			return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
		} catch {
			return new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
		}
	});
	const whole = cached(`n0:${locale ?? ''}`, () => {
		try {
			return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
		} catch {
			return new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
		}
	});
	return mb >= 1024 ? `${oneDecimal.format(mb / 1024)} GB` : `${whole.format(Math.round(mb))} MB`;
}

/** 0-100, or null when there is nothing to compare against. */
export function usagePercent(used: number | null, limit: number | null): number | null {
	if (used === null || !limit || limit <= 0) return null;
	return Math.min(100, Math.round((used / limit) * 100));
}

/** `v-chip` kinds for each account status. */
export const STATUS_KINDS: Record<AccountStatus, 'neutral' | 'info' | 'success' | 'warning' | 'danger'> = {
	pending: 'neutral',
	provisioning: 'info',
	active: 'success',
	suspended: 'warning',
	failed: 'danger',
	terminated: 'neutral',
};
