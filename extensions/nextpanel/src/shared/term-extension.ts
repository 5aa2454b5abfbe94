// How a term is extended, in the Flow operation (and anywhere else that renews hosting): by whole
// days or months from the end of the current term (from today when there is none), or to a date.
import { z } from 'zod';

const whole = (label: string, max: number) =>
	z.coerce
		.number({ error: `${label}: must be a whole number` })
		.int(`${label}: must be a whole number`)
		.min(1, `${label}: at least 1`)
		.max(max);

export const termExtensionSchema = z
	.object({
		days: z.preprocess((v) => (v === '' || v === null ? undefined : v), whole('days', 3660).optional()),
		months: z.preprocess((v) => (v === '' || v === null ? undefined : v), whole('months', 120).optional()),
		until: z.preprocess(
			(v) => (v === '' || v === null ? undefined : typeof v === 'string' ? v.slice(0, 10) : v),
			z.iso.date({ error: 'until: must be a date (YYYY-MM-DD)' }).optional(),
		),
	})
	.refine((value) => [value.days, value.months, value.until].filter((v) => v !== undefined).length === 1, {
		message: 'give exactly one of days, months or until',
	});

export type TermExtension = z.infer<typeof termExtensionSchema>;

/**
 * The new paid_until: the date given, or the current end moved on (today when there is no term).
 * Terms follow on from each other, as billing systems count them: a month paid late still starts
 * where the last one ended.
 */
export function extendedUntil(current: string | null, today: string, extension: TermExtension): string {
	if (extension.until) return extension.until;
	const from = current ?? today;
	const [year, month, day] = from.split('-').map(Number) as [number, number, number];
	const pad = (n: number) => String(n).padStart(2, '0');
	if (extension.months) {
		// The 31st plus a month is the last day of the shorter month, as billing systems count it.
		const target = new Date(Date.UTC(year, month - 1 + extension.months, 1));
		const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
		return `${target.getUTCFullYear()}-${pad(target.getUTCMonth() + 1)}-${pad(Math.min(day, lastDay))}`;
	}
	const moved = new Date(Date.UTC(year, month - 1, day + (extension.days ?? 0)));
	return `${moved.getUTCFullYear()}-${pad(moved.getUTCMonth() + 1)}-${pad(moved.getUTCDate())}`;
}
