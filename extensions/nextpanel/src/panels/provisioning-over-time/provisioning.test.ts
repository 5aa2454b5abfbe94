import { describe, expect, test } from 'vitest';
import type { ProvisioningBucket } from '../../shared/wire/insights.ts';
import { bucketTitle, chartModel, MARGIN, niceCeiling, seriesTotals } from './chart.ts';
import { optionInterval, provisioningQuery } from './query.ts';

const bucket = (date: string, created = 0, failed = 0, retried = 0, terminated = 0): ProvisioningBucket => ({
	date,
	created,
	failed,
	retried,
	terminated,
});

describe('provisioningQuery', () => {
	const now = new Date('2026-03-10T23:30:00Z');

	test('by default the last 30 days by day, in the person’s time zone', () => {
		expect(provisioningQuery({}, { now, timeZone: 'Europe/Berlin' })).toEqual({
			from: '2026-02-10',
			to: '2026-03-11',
			interval: 'day',
			tz: 'Europe/Berlin',
			server: null,
		});
	});

	test('unfilled variables read as not set', () => {
		expect(
			provisioningQuery(
				{ server: '{{ server }}', from: '{{ from }}', to: '{{ to }}', days: 7, interval: '{{ interval }}' },
				{ now, timeZone: 'UTC' },
			),
		).toEqual({ from: '2026-03-04', to: '2026-03-10', interval: 'day', tz: 'UTC', server: null });
	});

	test('From, To, a week interval and a server pass through', () => {
		expect(
			provisioningQuery({ server: ' 6f1c ', from: '2026-01-01', to: '2026-01-31', interval: 'week' }, { now, timeZone: 'UTC' }),
		).toMatchObject({ from: '2026-01-01', to: '2026-01-31', interval: 'week', server: '6f1c' });
	});

	test.each([
		['week', 'week'],
		['Week', 'week'],
		['day', 'day'],
		['month', 'day'],
		[null, 'day'],
	])('interval %j is %j', (value, interval) => {
		expect(optionInterval(value)).toBe(interval);
	});
});

describe('niceCeiling', () => {
	test.each([
		[0, 1],
		[1, 1],
		[3, 5],
		[7, 10],
		[11, 20],
		[50, 50],
		[51, 100],
		[240, 500],
	])('%i rounds up to %i', (value, ceiling) => {
		expect(niceCeiling(value)).toBe(ceiling);
	});
});

describe('chartModel', () => {
	const box = { width: 436, height: 128 };
	const buckets = [bucket('2026-03-01', 4, 1), bucket('2026-03-02', 0, 0, 2), bucket('2026-03-03', 2, 0, 0, 1), bucket('2026-03-04')];

	test('one line per series, with a point at the middle of each bucket', () => {
		const model = chartModel(buckets, 'day', box, 'en-US');
		expect(model.lines.map((line) => line.series)).toEqual(['created', 'failed', 'retried', 'terminated']);
		const created = model.lines[0]!;
		// 400 px wide plot, 4 buckets of 100 px; 100 px high plot with a top of 5.
		expect(created.dots.map((dot) => dot.x)).toEqual([78, 178, 278, 378]);
		expect(created.dots.map((dot) => dot.y)).toEqual([MARGIN.top + 20, MARGIN.top + 100, MARGIN.top + 60, MARGIN.top + 100]);
		expect(created.points.split(' ')).toHaveLength(4);
		expect(model.ticks.map((tick) => tick.value)).toEqual([0, 5]);
		expect(chartModel([bucket('2026-03-01', 20)], 'day', box).ticks.map((tick) => tick.value)).toEqual([0, 10, 20]);
		expect(model.showDots).toBe(true);
	});

	test('a column per bucket carries its figures in words', () => {
		const model = chartModel(buckets, 'day', box, 'en-US');
		expect(model.columns).toHaveLength(4);
		expect(model.columns[0]).toMatchObject({ date: '2026-03-01', x: MARGIN.left, width: 100 });
		expect(model.columns[0]!.title).toBe('Mar 1, 2026: Created 4, Failed 1, Retried 0, Terminated 0');
	});

	test('an empty range still has a scale of 0 to 1', () => {
		const model = chartModel([bucket('2026-03-01')], 'day', box, 'en-US');
		expect(model.ticks.map((tick) => tick.value)).toEqual([0, 1]);
		expect(model.labels).toHaveLength(1);
	});

	test('many buckets in a narrow box drop the dots', () => {
		const many = Array.from({ length: 60 }, (_, index) => bucket(`2026-01-${String((index % 28) + 1).padStart(2, '0')}`));
		expect(chartModel(many, 'day', { width: 200, height: 100 }, 'en-US').showDots).toBe(false);
	});
});

describe('bucketTitle', () => {
	test('a week names the Monday it starts on', () => {
		expect(bucketTitle(bucket('2026-03-02', 1), 'week', 'en-US')).toBe('Week of Mar 2, 2026: Created 1, Failed 0, Retried 0, Terminated 0');
	});
});

describe('seriesTotals', () => {
	test('adds each series over the buckets', () => {
		expect(seriesTotals([bucket('2026-03-01', 4, 1), bucket('2026-03-02', 2, 0, 3, 1)])).toEqual({
			created: 6,
			failed: 1,
			retried: 3,
			terminated: 1,
		});
	});
});
