import { describe, expect, test } from 'vitest';
import type { UsageRow } from '../../shared/wire/insights.ts';
import { accountPath, optionMetric, usageQuery, usageView } from './usage-view.ts';

const row = (overrides: Partial<UsageRow> = {}): UsageRow => ({
	account: 'acc-1',
	username: 'alice',
	server: 's1',
	server_name: 'eu-1',
	status: 'active',
	disk_used_mb: 900,
	disk_limit_mb: 1000,
	bandwidth_used_mb: 2048,
	bandwidth_limit_mb: 10240,
	disk_share: 0.9,
	bandwidth_share: 0.2,
	share: 0.9,
	...overrides,
});

describe('usageQuery', () => {
	test('defaults: ten accounts, either limit, all servers', () => {
		expect(usageQuery({})).toEqual({ limit: 10, metric: 'any', server: null });
		expect(usageQuery({ limit: '{{ limit }}', metric: '{{ metric }}', server: '{{ server }}' })).toEqual({
			limit: 10,
			metric: 'any',
			server: null,
		});
	});

	test('a limit is kept within 1 and 100', () => {
		expect(usageQuery({ limit: 500 }).limit).toBe(100);
		expect(usageQuery({ limit: '25' }).limit).toBe(25);
		expect(usageQuery({ limit: 0 }).limit).toBe(1);
	});

	test.each([
		['disk', 'disk'],
		['Bandwidth', 'bandwidth'],
		['any', 'any'],
		['cpu', 'any'],
		[undefined, 'any'],
	])('metric %j is %j', (value, metric) => {
		expect(optionMetric(value)).toBe(metric);
	});
});

describe('usageView', () => {
	test('the share as a percentage, and used of limit for both figures', () => {
		const view = usageView(row(), 'any');
		expect(view).toMatchObject({ username: 'alice', serverName: 'eu-1', percent: 90, level: 'high', leading: 'disk' });
		expect(view.disk).toEqual({ text: '900 MB of 1,000 MB', percent: 90 });
		expect(view.bandwidth).toEqual({ text: '2.0 GB of 10.0 GB', percent: 20 });
	});

	test('"any" leads with the nearer limit; a metric asked for leads with itself', () => {
		expect(usageView(row({ disk_share: 0.1, bandwidth_share: 0.95, share: 0.95 }), 'any').leading).toBe('bandwidth');
		expect(usageView(row(), 'bandwidth').leading).toBe('bandwidth');
	});

	test('over the limit is above 100%', () => {
		expect(usageView(row({ disk_used_mb: 1200, disk_share: 1.2, share: 1.2 }), 'disk')).toMatchObject({ percent: 120, level: 'over' });
	});

	test('no limit and no figures read as such', () => {
		const view = usageView(row({ bandwidth_limit_mb: null, bandwidth_share: null, disk_used_mb: null, disk_share: null }), 'any');
		expect(view.bandwidth).toEqual({ text: '2.0 GB · no limit', percent: null });
		expect(view.disk).toEqual({ text: '—', percent: null });
	});

	test('an account without a server says so', () => {
		expect(usageView(row({ server: null, server_name: null }), 'any').serverName).toBe('No server');
	});
});

describe('accountPath', () => {
	test('is the hosting account in the content module', () => {
		expect(accountPath('acc-1')).toBe('/content/hosting_accounts/acc-1');
	});
});
