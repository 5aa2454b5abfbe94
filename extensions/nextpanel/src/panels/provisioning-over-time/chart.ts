// The provisioning chart's geometry in pixels of the box it is drawn in: one line per series, a
// hover column per bucket, and a y scale that ends on a round number.
import { formatDay } from '../../interfaces/shared/format.ts';
import type { InsightInterval, ProvisioningBucket } from '../../shared/wire/insights.ts';
import { strings } from '../shared/strings.ts';

export const SERIES = ['created', 'failed', 'retried', 'terminated'] as const;
export type Series = (typeof SERIES)[number];

/** The smallest 1, 2 or 5 times a power of ten at or above the value; at least 1. */
export function niceCeiling(value: number): number {
	if (!(value > 1)) return 1;
	const power = 10 ** Math.floor(Math.log10(value));
	for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
	return 10 * power;
}

export interface ChartBox {
	width: number;
	height: number;
}

/** Room for the y labels on the left and the x labels below. */
export const MARGIN = { left: 28, right: 8, top: 8, bottom: 20 } as const;

export interface ChartLine {
	series: Series;
	points: string;
	dots: { x: number; y: number; value: number }[];
}

export interface ChartColumn {
	date: string;
	x: number;
	width: number;
	title: string;
}

export interface ChartModel {
	lines: ChartLine[];
	columns: ChartColumn[];
	ticks: { y: number; value: number }[];
	labels: { x: number; text: string; anchor: 'start' | 'middle' | 'end' }[];
	/** Dots only while there is room for them. */
	showDots: boolean;
}

export function bucketLabel(date: string, interval: InsightInterval, locale?: string): string {
	const day = formatDay(date, locale);
	return interval === 'week' ? strings.provisioning.weekOf(day) : day;
}

export function bucketTitle(bucket: ProvisioningBucket, interval: InsightInterval, locale?: string): string {
	const parts = SERIES.map((series) => strings.provisioning.part(strings.provisioning.series[series], bucket[series])).join(', ');
	return strings.provisioning.bucket(bucketLabel(bucket.date, interval, locale), parts);
}

export function chartModel(buckets: readonly ProvisioningBucket[], interval: InsightInterval, box: ChartBox, locale?: string): ChartModel {
	const plotWidth = Math.max(1, box.width - MARGIN.left - MARGIN.right);
	const plotHeight = Math.max(1, box.height - MARGIN.top - MARGIN.bottom);
	const top = niceCeiling(Math.max(0, ...buckets.flatMap((bucket) => SERIES.map((series) => bucket[series]))));
	const step = plotWidth / Math.max(1, buckets.length);
	const xOf = (index: number) => MARGIN.left + step * (index + 0.5);
	const yOf = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
	const round = (value: number) => Math.round(value * 10) / 10;

	const lines = SERIES.map((series) => {
		const dots = buckets.map((bucket, index) => ({ x: round(xOf(index)), y: round(yOf(bucket[series])), value: bucket[series] }));
		return { series, dots, points: dots.map((dot) => `${dot.x},${dot.y}`).join(' ') };
	});
	const columns = buckets.map((bucket, index) => ({
		date: bucket.date,
		x: round(MARGIN.left + step * index),
		width: round(step),
		title: bucketTitle(bucket, interval, locale),
	}));
	// Counts are whole: a middle line only where it falls on a whole number.
	const middle = top / 2;
	const ticks = [0, ...(top > 1 && Number.isInteger(middle) ? [middle] : []), top].map((value) => ({ value, y: round(yOf(value)) }));
	const short = (date: string) => formatDay(date, locale);
	const first = buckets[0];
	const last = buckets[buckets.length - 1];
	const labels: ChartModel['labels'] = [];
	if (first) labels.push({ x: MARGIN.left, text: short(first.date), anchor: 'start' });
	if (last && last !== first && plotWidth >= 160) labels.push({ x: MARGIN.left + plotWidth, text: short(last.date), anchor: 'end' });
	return { lines, columns, ticks, labels, showDots: step >= 8 };
}

export function seriesTotals(buckets: readonly ProvisioningBucket[]): Record<Series, number> {
	const totals = { created: 0, failed: 0, retried: 0, terminated: 0 };
	for (const bucket of buckets) for (const series of SERIES) totals[series] += bucket[series];
	return totals;
}
