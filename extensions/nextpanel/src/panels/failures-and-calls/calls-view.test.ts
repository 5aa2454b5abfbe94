import { describe, expect, test } from 'vitest';
import type { CallsInsight } from '../../shared/wire/insights.ts';
import { callErrors, callPath, callsQuery, serverCalls } from './calls-view.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const insight: CallsInsight = {
	from: '2026-03-04',
	to: '2026-03-10',
	tz: 'UTC',
	per_server: [
		{ server: 's1', name: 'eu-1', calls: 40, failed: 3 },
		{ server: null, name: null, calls: 2, failed: 2 },
		{ server: 's2', name: null, calls: 0, failed: 0 },
	],
	last_errors: [
		{
			id: 17,
			date_created: '2026-03-10T11:58:00Z',
			server: 's1',
			action: 'create_account',
			error_code: 'USERNAME_TAKEN',
			http_status: 422,
			message: 'The username is taken.',
			hosting_account: 'acc-1',
		},
		{
			id: 'x',
			date_created: null,
			server: null,
			action: 'health',
			error_code: null,
			http_status: 502,
			message: null,
			hosting_account: null,
		},
		{
			id: 3,
			date_created: null,
			server: 's9',
			action: 'brand_new',
			error_code: null,
			http_status: null,
			message: 'x',
			hosting_account: null,
		},
	],
};

describe('callsQuery', () => {
	const now = new Date('2026-03-10T23:30:00Z');

	test('by default the last 7 days, today included, in the person’s time zone', () => {
		expect(callsQuery({}, { now, timeZone: 'Asia/Tokyo' })).toEqual({
			from: '2026-03-05',
			to: '2026-03-11',
			tz: 'Asia/Tokyo',
			server: null,
		});
	});

	test('From and To win; unfilled variables read as not set', () => {
		expect(callsQuery({ from: '2026-02-01', to: '2026-02-03', server: 's1' }, { now, timeZone: 'UTC' })).toEqual({
			from: '2026-02-01',
			to: '2026-02-03',
			tz: 'UTC',
			server: 's1',
		});
		expect(callsQuery({ from: '{{ from }}', to: '{{ to }}', server: '{{ server }}', days: 2 }, { now, timeZone: 'UTC' })).toEqual({
			from: '2026-03-09',
			to: '2026-03-10',
			tz: 'UTC',
			server: null,
		});
	});
});

describe('serverCalls', () => {
	test('each server with its failure rate; calls without a saved server are "none"', () => {
		expect(serverCalls(insight)).toEqual([
			{ key: 's1', name: 'eu-1', calls: 40, failed: 3, failedPercent: 8 },
			{ key: 'none', name: 'No server', calls: 2, failed: 2, failedPercent: 100 },
			{ key: 's2', name: 's2', calls: 0, failed: 0, failedPercent: 0 },
		]);
	});
});

describe('callErrors', () => {
	const errors = callErrors(insight, NOW);

	test('the action in words, the error code, the server’s name and when', () => {
		expect(errors[0]).toEqual({
			id: '17',
			action: 'create_account',
			actionLabel: 'Account creation',
			code: 'USERNAME_TAKEN',
			message: 'The username is taken.',
			serverName: 'eu-1',
			when: '2 minutes ago',
			date: '2026-03-10T11:58:00Z',
			account: 'acc-1',
		});
	});

	test('without an error code the HTTP status stands in; without a message it says so', () => {
		expect(errors[1]).toMatchObject({ code: 'HTTP 502', message: 'No message was recorded.', serverName: 'No server', when: '—' });
	});

	test('an unknown action and a server outside the counts still read', () => {
		expect(errors[2]).toMatchObject({ actionLabel: 'brand new', code: null, serverName: 's9' });
	});
});

describe('callPath', () => {
	test('is the call in the content module', () => {
		expect(callPath('17')).toBe('/content/nextpanel_logs/17');
	});
});
