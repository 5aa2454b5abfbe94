// The hosting account state machine: which states every action may start from, and the sentence
// that explains a refusal. The service enforces it and the app draws its buttons from it, so no
// button leads to a certain 409.
export const ACCOUNT_STATUSES = ['pending', 'provisioning', 'active', 'suspended', 'failed', 'terminated'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export type AccountAction =
	| 'provision'
	| 'retry'
	| 'cancel'
	| 'suspend'
	| 'unsuspend'
	| 'terminate'
	| 'sync'
	| 'reveal_password'
	| 'mark_terminated'
	| 'reapply_status'
	| 'accept_remote_status';

export const ALLOWED_FROM: Readonly<Record<AccountAction, readonly AccountStatus[]>> = {
	provision: ['pending'],
	retry: ['failed', 'pending'],
	// Stops an account before it exists on NextPanel; one that may exist there is terminated instead.
	cancel: ['pending', 'failed'],
	suspend: ['active'],
	unsuspend: ['suspended'],
	terminate: ['pending', 'failed', 'active', 'suspended'],
	sync: ['active', 'suspended'],
	reveal_password: ['active', 'suspended'],
	// Drift fixes: none of them deletes anything on NextPanel.
	mark_terminated: ['active', 'suspended'],
	reapply_status: ['active', 'suspended'],
	accept_remote_status: ['active', 'suspended'],
};

/** Statuses in which an account occupies a slot on its server. */
export const SLOT_HOLDING: readonly AccountStatus[] = ['provisioning', 'active', 'suspended'];

/** Statuses in which an account exists (or is being created) on NextPanel. */
export const LIVE: readonly AccountStatus[] = ['provisioning', 'active', 'suspended'];

export function isAllowed(action: AccountAction, status: AccountStatus): boolean {
	return ALLOWED_FROM[action].includes(status);
}

const VERB: Record<AccountAction, string> = {
	provision: 'provisioned',
	retry: 'retried',
	cancel: 'cancelled',
	suspend: 'suspended',
	unsuspend: 'unsuspended',
	terminate: 'terminated',
	sync: 'synced',
	reveal_password: 'asked for its password',
	mark_terminated: 'marked terminated',
	reapply_status: 'brought back in step',
	accept_remote_status: 'brought back in step',
};

const WHY: Record<AccountStatus, string> = {
	pending: 'it has not been provisioned yet',
	provisioning: 'it is being provisioned right now',
	active: 'it is active',
	suspended: 'it is suspended',
	failed: 'its provisioning failed (retry it first)',
	terminated: 'it has been terminated',
};

export function conflictReason(action: AccountAction, username: string, status: AccountStatus): string {
	return `Hosting account "${username}" cannot be ${VERB[action]}: ${WHY[status]}.`;
}
