import type { AccountStatus } from './api-types.ts';

/** The statuses of accounts that still exist on NextPanel: terminated ones are history. */
export type LiveStatus = Exclude<AccountStatus, 'terminated'>;

// Most in need of a person first: the first of a customer's accounts speaks for the customer.
const BY_ATTENTION: readonly LiveStatus[] = ['failed', 'pending', 'provisioning', 'suspended', 'active'];

export function isLive<T extends { status: AccountStatus }>(account: T): account is T & { status: LiveStatus } {
	return (BY_ATTENTION as readonly AccountStatus[]).includes(account.status);
}

/** A customer's live accounts, the one that needs a look first. */
export function liveByAttention<T extends { status: AccountStatus }>(accounts: readonly T[]): (T & { status: LiveStatus })[] {
	return accounts.filter(isLive).sort((a, b) => BY_ATTENTION.indexOf(a.status) - BY_ATTENTION.indexOf(b.status));
}
