import { describe, expect, test } from 'vitest';
import { formatDate, formatMegabytes, formatRelative, NONE, usagePercent } from './format.ts';

describe('usagePercent', () => {
	test.each([
		[512, 1024, 50],
		[0, 1024, 0],
		[2048, 1024, 100],
		[1, 3, 33],
		[100, null, null],
		[100, 0, null],
		[null, 1024, null],
	])('%s of %s -> %s', (used, limit, percent) => {
		expect(usagePercent(used, limit)).toBe(percent);
	});
});

describe('formatMegabytes', () => {
	test.each([
		[0, '0 MB'],
		[512, '512 MB'],
		[1024, '1.0 GB'],
		[9216, '9.0 GB'],
		[1536.4, '1.5 GB'],
	])('%s MB reads %s', (mb, text) => {
		expect(formatMegabytes(mb, 'en-US')).toBe(text);
	});

	test('uses the decimal separator of the language', () => {
		expect(formatMegabytes(1536, 'de-DE')).toBe('1,5 GB');
	});
});

describe('formatDate', () => {
	test('shows a dash for nothing and the raw text for something unparsable', () => {
		expect(formatDate(null)).toBe(NONE);
		expect(formatDate('')).toBe(NONE);
		expect(formatDate('not a date')).toBe('not a date');
	});

	test('formats an ISO timestamp with its year', () => {
		expect(formatDate('2026-11-29T01:57:53.998Z')).toMatch(/2026/);
	});

	test('follows the language it is given, 12-hour clock in English and 24-hour in German', () => {
		const value = '2026-11-29T22:40:12Z';
		const hour = new Date(value).getHours();
		expect(formatDate(value, 'en-US')).toMatch(/(AM|PM)/);
		expect(formatDate(value, 'de-DE')).toMatch(new RegExp(`\\b${String(hour).padStart(2, '0')}:40\\b`));
		expect(formatDate(value, 'de-DE')).not.toMatch(/(AM|PM|UTC)/);
	});
});

describe('formatRelative', () => {
	const now = Date.parse('2026-11-30T12:00:00Z');
	test.each([
		['2026-11-30T11:57:00Z', 'en-US', '3 minutes ago'],
		['2026-11-30T11:59:40Z', 'en-US', 'now'],
		['2026-11-30T14:00:00Z', 'en-US', 'in 2 hours'],
		['2026-11-29T12:00:00Z', 'en-US', 'yesterday'],
		['2026-11-30T11:57:00Z', 'de-DE', 'vor 3 Minuten'],
	])('%s in %s reads %s', (value, locale, text) => {
		expect(formatRelative(value, now, locale)).toBe(text);
	});

	test('shows a dash for nothing', () => {
		expect(formatRelative(null, now, 'en-US')).toBe(NONE);
	});
});
