// Counts in the panels read as the person's language writes numbers: 12,480 or 12.480.
import { appLocale } from '../../interfaces/shared/format.ts';

const formatters = new Map<string, Intl.NumberFormat>();

export function formatCount(value: number, locale: string | undefined = appLocale()): string {
	const key = locale ?? '';
	let formatter = formatters.get(key);
	if (!formatter) {
		try {
			formatter = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
		} catch {
			formatter = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
		}
		formatters.set(key, formatter);
	}
	return formatter.format(value);
}
