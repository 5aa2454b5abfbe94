import { describe, expect, test } from 'vitest';
import type { NextPanelAccount } from '../nextpanel/contract.ts';
import { compareAccounts, driftKey, type LocalAccount } from './drift.ts';

const local = (id: string, fields: Partial<LocalAccount> = {}): LocalAccount => ({
	id,
	username: id,
	status: 'active',
	nextpanel_account_id: null,
	remote_billing_id: 'c1',
	create_attempted: false,
	customer: 'c1',
	...fields,
});
const remote = (id: number, username: string, fields: Partial<NextPanelAccount> = {}): NextPanelAccount => ({
	id,
	username,
	status: 'active',
	billing_id: 'c1',
	...fields,
});

describe('compareAccounts', () => {
	test('accounts in step are not reported', () => {
		expect(compareAccounts([local('ada', { nextpanel_account_id: 1 })], [remote(1, 'ada')])).toEqual([]);
	});

	test.each([
		['deleted in NextPanel', [local('ada', { nextpanel_account_id: 1 })], [], 'missing_remote', ['mark_terminated']],
		[
			'suspended in NextPanel only',
			[local('ada', { nextpanel_account_id: 1 })],
			[remote(1, 'ada', { status: 'suspended' })],
			'status_differs',
			['reapply_status', 'accept_remote_status'],
		],
		[
			'active in NextPanel only',
			[local('ada', { nextpanel_account_id: 1, status: 'suspended' })],
			[remote(1, 'ada')],
			'status_differs',
			['reapply_status', 'accept_remote_status'],
		],
		[
			'another username at the id',
			[local('ada', { nextpanel_account_id: 1 })],
			[remote(1, 'bob')],
			'identity_differs',
			['mark_terminated'],
		],
		[
			'another billing id at the id',
			[local('ada', { nextpanel_account_id: 1 })],
			[remote(1, 'ada', { billing_id: 'c2' })],
			'identity_differs',
			['mark_terminated'],
		],
		['created by hand in NextPanel', [], [remote(7, 'manual')], 'unknown_remote', ['adopt']],
	] as const)('%s', (_label, locals, remotes, kind, fixes) => {
		const rows = compareAccounts([...locals], [...remotes]);
		expect(rows).toEqual([expect.objectContaining({ kind, fixes })]);
		expect(rows[0]!.message.length).toBeGreaterThan(20);
	});

	test('terminated, pending and failed records are not compared; a create under way is not "unknown"', () => {
		const rows = compareAccounts(
			[
				local('gone', { nextpanel_account_id: 3, status: 'terminated' }),
				local('waiting', { status: 'pending', create_attempted: true }),
				local('failed', { status: 'failed' }),
			],
			[remote(9, 'waiting')],
		);
		expect(rows).toEqual([]);
	});

	test('an id held by a terminated record that NextPanel still has is unknown to Directus', () => {
		const rows = compareAccounts([local('gone', { nextpanel_account_id: 3, status: 'terminated' })], [remote(3, 'gone')]);
		expect(rows.map((r) => r.kind)).toEqual(['unknown_remote']);
	});

	test('rows have stable keys, so a scheduled check can tell new drift from old', () => {
		const [row] = compareAccounts([local('ada', { nextpanel_account_id: 1 })], []);
		expect(driftKey(row!)).toBe('missing_remote:1:ada');
	});
});
