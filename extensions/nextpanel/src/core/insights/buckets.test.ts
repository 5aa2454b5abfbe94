import { describe, expect, test } from 'vitest';
import { InsightRangeError, addDays, bucketRange, dayIn, dayRange, defaultRange, mondayOf, startOfDay } from './buckets.ts';

const HOUR = 3_600_000;
const iso = (date: Date) => date.toISOString();

describe('startOfDay', () => {
	test('UTC midnight is the day itself', () => {
		expect(iso(startOfDay('2025-06-01', 'UTC'))).toBe('2025-06-01T00:00:00.000Z');
	});

	test('a zone east of UTC starts its day the evening before, in UTC; half-hour offsets too', () => {
		expect(iso(startOfDay('2025-01-15', 'Europe/Berlin'))).toBe('2025-01-14T23:00:00.000Z');
		expect(iso(startOfDay('2025-07-15', 'Europe/Berlin'))).toBe('2025-07-14T22:00:00.000Z');
		expect(iso(startOfDay('2025-01-15', 'Asia/Kolkata'))).toBe('2025-01-14T18:30:00.000Z');
		expect(iso(startOfDay('2025-01-15', 'Asia/Kathmandu'))).toBe('2025-01-14T18:15:00.000Z');
	});

	test('a zone west of UTC starts its day in the UTC morning', () => {
		expect(iso(startOfDay('2025-01-15', 'America/New_York'))).toBe('2025-01-15T05:00:00.000Z');
	});

	test('where a DST change skips midnight, the day starts when the clocks jump (São Paulo, 2018)', () => {
		// 2018-11-04: 00:00 became 01:00 (-03:00 to -02:00).
		expect(iso(startOfDay('2018-11-04', 'America/Sao_Paulo'))).toBe('2018-11-04T03:00:00.000Z');
		// 2019-02-17: the clocks went back from 00:00 to 23:00, so that day's midnight came an hour later in UTC.
		expect(iso(startOfDay('2019-02-17', 'America/Sao_Paulo'))).toBe('2019-02-17T03:00:00.000Z');
		expect(iso(startOfDay('2019-02-16', 'America/Sao_Paulo'))).toBe('2019-02-16T02:00:00.000Z');
	});
});

describe('day buckets', () => {
	test('every day of the range, both ends included, each from its midnight to the next', () => {
		const range = bucketRange({ from: '2025-03-01', to: '2025-03-03', interval: 'day' }, 'UTC');
		expect(range.buckets.map((b) => [b.date, iso(b.start), iso(b.end)])).toEqual([
			['2025-03-01', '2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z'],
			['2025-03-02', '2025-03-02T00:00:00.000Z', '2025-03-03T00:00:00.000Z'],
			['2025-03-03', '2025-03-03T00:00:00.000Z', '2025-03-04T00:00:00.000Z'],
		]);
		expect(range).toMatchObject({ from: '2025-03-01', to: '2025-03-03', interval: 'day' });
	});

	test('one day is one bucket', () => {
		expect(bucketRange({ from: '2025-03-01', to: '2025-03-01', interval: 'day' }, 'UTC').buckets).toHaveLength(1);
	});

	test('the spring DST day has 23 hours and the autumn one 25, and the buckets touch without gaps', () => {
		const spring = bucketRange({ from: '2025-03-29', to: '2025-03-31', interval: 'day' }, 'Europe/Berlin').buckets;
		expect(spring.map((b) => (b.end.getTime() - b.start.getTime()) / HOUR)).toEqual([24, 23, 24]);
		const autumn = bucketRange({ from: '2025-10-25', to: '2025-10-27', interval: 'day' }, 'Europe/Berlin').buckets;
		expect(autumn.map((b) => (b.end.getTime() - b.start.getTime()) / HOUR)).toEqual([24, 25, 24]);
		for (const list of [spring, autumn]) {
			for (let i = 1; i < list.length; i++) expect(list[i]!.start).toEqual(list[i - 1]!.end);
		}
	});

	test('the same instant falls on different days in different zones', () => {
		const late = new Date('2025-05-01T23:30:00Z');
		expect(dayIn(late, 'UTC')).toBe('2025-05-01');
		expect(dayIn(late, 'Europe/Berlin')).toBe('2025-05-02');
		expect(dayIn(late, 'America/Los_Angeles')).toBe('2025-05-01');
		const [berlin] = bucketRange({ from: '2025-05-02', to: '2025-05-02', interval: 'day' }, 'Europe/Berlin').buckets;
		expect(late >= berlin!.start && late < berlin!.end).toBe(true);
	});

	test('a year fits, a day more does not, and a reversed range is refused', () => {
		expect(bucketRange({ from: '2024-01-01', to: '2024-12-31', interval: 'day' }, 'UTC').buckets).toHaveLength(366);
		expect(() => bucketRange({ from: '2024-01-01', to: '2025-01-01', interval: 'day' }, 'UTC')).toThrow(InsightRangeError);
		expect(() => bucketRange({ from: '2024-01-01', to: '2025-01-01', interval: 'day' }, 'UTC')).toThrow(/use interval=week/);
		expect(() => bucketRange({ from: '2025-02-02', to: '2025-02-01', interval: 'day' }, 'UTC')).toThrow(/after/);
	});
});

describe('week buckets', () => {
	test('weeks start on Monday', () => {
		expect(mondayOf('2025-06-04')).toBe('2025-06-02'); // a Wednesday
		expect(mondayOf('2025-06-02')).toBe('2025-06-02'); // a Monday
		expect(mondayOf('2025-06-08')).toBe('2025-06-02'); // a Sunday
		expect(mondayOf('2025-01-01')).toBe('2024-12-30'); // across a year
	});

	test('the range grows to whole weeks, Monday to Sunday, and says so', () => {
		const range = bucketRange({ from: '2025-06-04', to: '2025-06-10', interval: 'week' }, 'UTC');
		expect(range.from).toBe('2025-06-02');
		expect(range.to).toBe('2025-06-15');
		expect(range.buckets.map((b) => [b.date, iso(b.start), iso(b.end)])).toEqual([
			['2025-06-02', '2025-06-02T00:00:00.000Z', '2025-06-09T00:00:00.000Z'],
			['2025-06-09', '2025-06-09T00:00:00.000Z', '2025-06-16T00:00:00.000Z'],
		]);
	});

	test('a week with a DST change is 167 hours long, from local Monday to local Monday', () => {
		const [week] = bucketRange({ from: '2025-03-24', to: '2025-03-30', interval: 'week' }, 'Europe/Berlin').buckets;
		expect(iso(week!.start)).toBe('2025-03-23T23:00:00.000Z');
		expect(iso(week!.end)).toBe('2025-03-30T22:00:00.000Z');
		expect((week!.end.getTime() - week!.start.getTime()) / HOUR).toBe(167);
	});

	test('five years of weeks fit', () => {
		expect(bucketRange({ from: '2020-01-01', to: '2024-12-31', interval: 'week' }, 'UTC').buckets.length).toBe(262);
		expect(() => bucketRange({ from: '2015-01-01', to: '2024-12-31', interval: 'week' }, 'UTC')).toThrow(/at most 1830 days/);
	});
});

describe('ranges without buckets and defaults', () => {
	test('a day range covers both days in the zone', () => {
		const range = dayRange('2025-03-30', '2025-03-30', 'Europe/Berlin', 10);
		expect(iso(range.start)).toBe('2025-03-29T23:00:00.000Z');
		expect(iso(range.end)).toBe('2025-03-30T22:00:00.000Z');
		expect(() => dayRange('2025-01-01', '2025-01-20', 'UTC', 10)).toThrow(/at most 10/);
	});

	test('by default the 30 days up to today, today taken in the zone', () => {
		const now = new Date('2025-05-01T23:30:00Z');
		expect(defaultRange({}, 'UTC', now)).toEqual({ from: '2025-04-02', to: '2025-05-01' });
		expect(defaultRange({}, 'Europe/Berlin', now)).toEqual({ from: '2025-04-03', to: '2025-05-02' });
		expect(defaultRange({ to: '2025-01-10' }, 'UTC', now)).toEqual({ from: addDays('2025-01-10', -29), to: '2025-01-10' });
		expect(defaultRange({ from: '2025-04-20' }, 'UTC', now)).toEqual({ from: '2025-04-20', to: '2025-05-01' });
	});
});
