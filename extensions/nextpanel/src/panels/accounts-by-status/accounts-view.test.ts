import { describe, expect, test } from 'vitest';
import type { AccountsInsight } from '../../shared/wire/insights.ts';
import { accountsFilter, statusRows, termRows } from './accounts-view.ts';

const insight: AccountsInsight = {
	server: null,
	total: 8,
	by_status: { pending: 1, provisioning: 0, active: 4, suspended: 2, failed: 1, terminated: 0 },
	overdue: 1,
	due_in_7_days: 3,
};

describe('statusRows', () => {
	test('every status in reading order, with its share of the total', () => {
		expect(statusRows(insight).map((row) => [row.status, row.count, row.percent])).toEqual([
			['active', 4, 50],
			['suspended', 2, 25],
			['failed', 1, 13],
			['pending', 1, 13],
			['provisioning', 0, 0],
			['terminated', 0, 0],
		]);
		expect(statusRows(insight)[0]).toMatchObject({ label: 'Active', kind: 'success' });
	});

	test('no accounts at all is 0% each, not NaN', () => {
		const none = { ...insight, total: 0, by_status: { pending: 0, provisioning: 0, active: 0, suspended: 0, failed: 0, terminated: 0 } };
		expect(statusRows(none).every((row) => row.percent === 0)).toBe(true);
	});
});

describe('termRows', () => {
	test('overdue and due within 7 days', () => {
		expect(termRows(insight)).toEqual([
			{ figure: 'overdue', label: 'Overdue', count: 1 },
			{ figure: 'due_in_7_days', label: 'Due in 7 days', count: 3 },
		]);
	});
});

describe('accountsFilter', () => {
	test('a status is that status, on the panel’s server when it has one', () => {
		expect(accountsFilter('failed', null)).toEqual({ _and: [{ status: { _eq: 'failed' } }] });
		expect(accountsFilter('active', 's1')).toEqual({ _and: [{ server: { _eq: 's1' } }, { status: { _eq: 'active' } }] });
	});

	test('the total is every account, or every account of the server', () => {
		expect(accountsFilter('total', null)).toBeNull();
		expect(accountsFilter('total', 's1')).toEqual({ _and: [{ server: { _eq: 's1' } }] });
	});

	test('overdue is suspended by the overdue job', () => {
		expect(accountsFilter('overdue', null)).toEqual({
			_and: [{ status: { _eq: 'suspended' } }, { overdue_suspended_at: { _nnull: true } }],
		});
	});

	test('due soon is active, not exempt, with a term ending within a week', () => {
		const filter = accountsFilter('due_in_7_days', null) as { _and: Record<string, unknown>[] };
		expect(filter._and).toContainEqual({ status: { _eq: 'active' } });
		expect(filter._and).toContainEqual({ paid_until: { _lte: '$NOW(+7 days)' } });
		expect(filter._and).toContainEqual({ _or: [{ overdue_exempt: { _null: true } }, { overdue_exempt: { _eq: false } }] });
	});
});
