import { describe, expect, test } from 'vitest';
import { extendedUntil, termExtensionSchema } from './term-extension.ts';

describe('extending a term', () => {
	test('by months from the end of the term, the 31st landing on the last day of a shorter month', () => {
		expect(extendedUntil('2026-01-31', '2026-01-10', { months: 1 })).toBe('2026-02-28');
		expect(extendedUntil('2028-01-31', '2028-01-10', { months: 1 })).toBe('2028-02-29');
		expect(extendedUntil('2026-11-15', '2026-01-10', { months: 3 })).toBe('2027-02-15');
		expect(extendedUntil('2026-03-10', '2026-01-10', { months: 12 })).toBe('2027-03-10');
	});

	test('an overdue term follows on from where it ended; no term starts today', () => {
		expect(extendedUntil('2026-01-05', '2026-03-01', { days: 30 })).toBe('2026-02-04');
		expect(extendedUntil(null, '2026-03-01', { days: 30 })).toBe('2026-03-31');
		expect(extendedUntil(null, '2026-12-20', { days: 14 })).toBe('2027-01-03');
	});

	test('to a date, and exactly one way of saying it', () => {
		expect(extendedUntil('2026-01-05', '2026-03-01', { until: '2027-01-01' })).toBe('2027-01-01');
		expect(termExtensionSchema.safeParse({ months: '2' }).data).toEqual({ months: 2 });
		expect(termExtensionSchema.safeParse({ until: '2027-01-01T00:00:00Z' }).data).toEqual({ until: '2027-01-01' });
		expect(termExtensionSchema.safeParse({}).success).toBe(false);
		expect(termExtensionSchema.safeParse({ days: 3, months: 1 }).success).toBe(false);
		expect(termExtensionSchema.safeParse({ days: 0 }).success).toBe(false);
		expect(termExtensionSchema.safeParse({ until: 'next week' }).success).toBe(false);
	});
});
