import { describe, expect, test } from 'vitest';
import { formatDate, formatMegabytes, NONE, usagePercent } from './format.ts';

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
		expect(formatMegabytes(mb)).toBe(text);
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
});
