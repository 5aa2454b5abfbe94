// The actions a `nextpanel_logs` row can record: every NextPanel call the client makes, and the
// events kept in the same audit trail. The app filters and labels the log by these names.
export type NextPanelAction =
	| 'health'
	| 'list_accounts'
	| 'get_account'
	| 'create_account'
	| 'suspend_account'
	| 'unsuspend_account'
	| 'delete_account'
	| 'get_stats'
	| 'probe_permission';

/** Rows that are not NextPanel calls but belong in the same audit trail. */
export type AuditEvent = 'adopt_account' | 'reveal_password';

export type CallAction = NextPanelAction | AuditEvent;
