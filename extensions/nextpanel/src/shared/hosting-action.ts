// The actions of the "NextPanel: hosting action" flow, shared by its operation, the flow the
// installer creates and the app's operation options.
export const HOSTING_ACTIONS = ['provision', 'suspend', 'unsuspend', 'sync_usage', 'extend_term'] as const;
export type HostingAction = (typeof HOSTING_ACTIONS)[number];

/** Asked for by name, these get a clear refusal rather than "not an action". */
export const REFUSED_HOSTING_ACTIONS = ['terminate', 'delete', 'reveal', 'reveal_password', 'reveal-password'] as const;

export const HOSTING_ACTION_LABELS: Readonly<Record<HostingAction, string>> = {
	provision: 'Provision hosting (customers)',
	suspend: 'Suspend, with a reason',
	unsuspend: 'Unsuspend',
	sync_usage: 'Sync usage',
	extend_term: 'Extend the term (days, months or a date)',
};
