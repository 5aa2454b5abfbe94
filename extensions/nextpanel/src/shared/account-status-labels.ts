import type { AccountStatus } from './api-types.ts';

/** A hosting account's status as every screen names it. */
export const ACCOUNT_STATUS_LABELS: Readonly<Record<AccountStatus, string>> = {
	pending: 'Pending',
	provisioning: 'Provisioning',
	active: 'Active',
	suspended: 'Suspended',
	failed: 'Failed',
	terminated: 'Terminated',
};
