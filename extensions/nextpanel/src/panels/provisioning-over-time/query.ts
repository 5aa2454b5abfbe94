// The panel's options as the provisioning route's query: the days from the options (or the last
// N days in the person's time zone), the interval, and the time zone the buckets are cut in.
import type { InsightInterval } from '../../shared/wire/insights.ts';
import { browserTimeZone, dayRange, optionText } from '../shared/panel-options.ts';

export const DEFAULT_DAYS = 30;

export interface ProvisioningOptions {
	server?: unknown;
	days?: unknown;
	from?: unknown;
	to?: unknown;
	interval?: unknown;
}

export function optionInterval(value: unknown): InsightInterval {
	return optionText(value)?.toLowerCase() === 'week' ? 'week' : 'day';
}

export function provisioningQuery(
	options: ProvisioningOptions,
	{ now = new Date(), timeZone = browserTimeZone() }: { now?: Date; timeZone?: string } = {},
) {
	const { from, to } = dayRange(options, { now, timeZone, defaultDays: DEFAULT_DAYS });
	return { from, to, interval: optionInterval(options.interval), tz: timeZone, server: optionText(options.server) };
}
