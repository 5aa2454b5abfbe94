// Times in the module follow the language the user picked in Directus: the app writes it to
// <html lang>, so the same page reads "30 Nov, 23:29" for en-GB and "Nov 30, 11:29 PM" for en-US.
import { NONE } from '../interfaces/shared/format.ts';

export { NONE };

function userLocale(): string | undefined {
	return (typeof document !== 'undefined' && document.documentElement.lang) || undefined;
}

const STYLES = {
	/** A row of a list: day and time to the second, since calls come in bursts. */
	row: { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' },
	/** A detail view: everything, with the time zone. */
	full: { dateStyle: 'full', timeStyle: 'long' },
	/** Elsewhere: day and minute. */
	medium: { dateStyle: 'medium', timeStyle: 'short' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatTime(value: string | null | undefined, style: keyof typeof STYLES = 'medium'): string {
	if (!value) return NONE;
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return value;
	const locale = userLocale();
	const key = `${locale ?? ''}|${style}`;
	let formatter = formatters.get(key);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat(locale, STYLES[style]);
		formatters.set(key, formatter);
	}
	return formatter.format(date);
}

export function formatNumber(value: number): string {
	return new Intl.NumberFormat(userLocale()).format(value);
}
