// The hosting account state machine. Every action names the states it may start from; anything
// else is a 409 with a sentence saying why.
export const ACCOUNT_STATUSES = ['pending', 'provisioning', 'active', 'suspended', 'failed', 'terminated'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export type AccountAction = 'provision' | 'retry' | 'suspend' | 'unsuspend' | 'terminate' | 'sync';

export const ALLOWED_FROM: Record<AccountAction, readonly AccountStatus[]> = {
	provision: ['pending'],
	retry: ['failed', 'pending'],
	suspend: ['active'],
	unsuspend: ['suspended'],
	terminate: ['pending', 'failed', 'active', 'suspended'],
	sync: ['active', 'suspended'],
};

/** Statuses in which an account occupies a slot on its server. */
export const SLOT_HOLDING: readonly AccountStatus[] = ['provisioning', 'active', 'suspended'];

const VERB: Record<AccountAction, string> = {
	provision: 'provisioned',
	retry: 'retried',
	suspend: 'suspended',
	unsuspend: 'unsuspended',
	terminate: 'terminated',
	sync: 'synced',
};

const WHY: Partial<Record<AccountStatus, string>> = {
	pending: 'it has not been provisioned yet',
	provisioning: 'it is being provisioned right now',
	active: 'it is active',
	suspended: 'it is suspended',
	failed: 'its provisioning failed (retry it first)',
	terminated: 'it has been terminated',
};

export function conflictReason(action: AccountAction, username: string, status: AccountStatus): string {
	return `Hosting account "${username}" cannot be ${VERB[action]}: ${WHY[status] ?? `its status is ${status}`}.`;
}
