import { describe, expect, test } from 'vitest';
import { addDays, dayIn, dayRange, optionDay, optionInteger, optionText, panelNow } from './panel-options.ts';

describe('optionText', () => {
	test.each([
		['  eu-1 ', 'eu-1'],
		['', null],
		['   ', null],
		['{{ server }}', null],
		['{{server}}', null],
		[12, '12'],
		[null, null],
		[undefined, null],
		[{ key: 'x' }, null],
	])('%j reads as %j', (value, expected) => {
		expect(optionText(value)).toBe(expected);
	});
});

describe('optionInteger', () => {
	test.each([
		['25', 25],
		[7, 7],
		['0', 1],
		['500', 100],
		['ten', 10],
		['{{ limit }}', 10],
		[undefined, 10],
	])('%j gives %j within 1-100', (value, expected) => {
		expect(optionInteger(value, { fallback: 10, min: 1, max: 100 })).toBe(expected);
	});
});

describe('optionDay', () => {
	test.each([
		['2026-03-01', '2026-03-01'],
		['2026-03-01T23:30:00', '2026-03-01'],
		['2026-02-31', null],
		['01.03.2026', null],
		['{{ from }}', null],
	])('%j is the day %j', (value, expected) => {
		expect(optionDay(value)).toBe(expected);
	});
});

describe('dayIn', () => {
	test('is the calendar day of the time zone, not of UTC', () => {
		const instant = new Date('2026-03-01T23:30:00Z');
		expect(dayIn(instant, 'UTC')).toBe('2026-03-01');
		expect(dayIn(instant, 'Europe/Berlin')).toBe('2026-03-02');
		expect(dayIn(instant, 'America/New_York')).toBe('2026-03-01');
		expect(dayIn(new Date('2026-03-01T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-02-28');
	});
});

describe('addDays', () => {
	test('crosses month, year and leap-day ends', () => {
		expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
		expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		// A DST change in Europe is still one calendar day.
		expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
	});
});

describe('dayRange', () => {
	const now = new Date('2026-03-10T23:30:00Z');

	test('the last N days end today in the person’s time zone, today included', () => {
		expect(dayRange({ days: '7' }, { now, timeZone: 'UTC' })).toEqual({ from: '2026-03-04', to: '2026-03-10' });
		expect(dayRange({ days: '7' }, { now, timeZone: 'Asia/Tokyo' })).toEqual({ from: '2026-03-05', to: '2026-03-11' });
	});

	test('an empty or unfilled option falls back to the default days', () => {
		expect(dayRange({ days: '{{ days }}', from: '{{ from }}', to: '' }, { now, timeZone: 'UTC', defaultDays: 30 })).toEqual({
			from: '2026-02-09',
			to: '2026-03-10',
		});
	});

	test('From and To win over the days, in either order', () => {
		expect(dayRange({ from: '2026-01-01', to: '2026-01-31', days: 7 }, { now })).toEqual({ from: '2026-01-01', to: '2026-01-31' });
		expect(dayRange({ from: '2026-01-31', to: '2026-01-01' }, { now })).toEqual({ from: '2026-01-01', to: '2026-01-31' });
	});

	test('one end alone counts the days from it', () => {
		expect(dayRange({ from: '2026-01-01', days: 3 }, { now })).toEqual({ from: '2026-01-01', to: '2026-01-03' });
		expect(dayRange({ to: '2026-01-03', days: 3 }, { now })).toEqual({ from: '2026-01-01', to: '2026-01-03' });
	});

	test('one day is a range of one day', () => {
		expect(dayRange({ days: 1 }, { now, timeZone: 'UTC' })).toEqual({ from: '2026-03-10', to: '2026-03-10' });
	});
});

describe('panelNow', () => {
	test('the dashboard’s time when it is one, else the clock', () => {
		const now = new Date('2026-03-10T12:00:00Z');
		expect(panelNow(now)).toBe(now);
		expect(panelNow('2026-03-10T12:00:00Z').getTime()).toBe(now.getTime());
		for (const value of [undefined, null, 'soon', {}]) expect(Math.abs(panelNow(value).getTime() - Date.now())).toBeLessThan(1000);
	});
});
