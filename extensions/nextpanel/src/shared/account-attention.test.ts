import { describe, expect, it } from 'vitest';
import type { AccountStatus } from './api-types.ts';
import { isLive, liveByAttention } from './account-attention.ts';

const account = (username: string, status: AccountStatus) => ({ username, status });

describe('liveByAttention', () => {
	it('puts the account that needs a person first and leaves terminated ones out', () => {
		const accounts = [
			account('a', 'active'),
			account('t', 'terminated'),
			account('s', 'suspended'),
			account('f', 'failed'),
			account('p', 'provisioning'),
			account('w', 'pending'),
		];
		expect(liveByAttention(accounts).map((a) => a.username)).toEqual(['f', 'w', 'p', 's', 'a']);
	});

	it('keeps the given order among accounts of one status, and does not reorder its input', () => {
		const accounts = [account('b', 'active'), account('a', 'active'), account('x', 'failed')];
		expect(liveByAttention(accounts).map((a) => a.username)).toEqual(['x', 'b', 'a']);
		expect(accounts.map((a) => a.username)).toEqual(['b', 'a', 'x']);
	});

	it('has nothing to show for a customer whose accounts are all terminated', () => {
		expect(liveByAttention([account('t', 'terminated')])).toEqual([]);
		expect(isLive(account('t', 'terminated'))).toBe(false);
		expect(isLive(account('s', 'suspended'))).toBe(true);
	});
});
