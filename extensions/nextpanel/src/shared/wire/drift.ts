// What a drift check reports, over REST, in Flows and on the server item: one row per difference
// between Directus and NextPanel, with the fixes that fit it.
import type { AccountStatus } from '../account-states.ts';

export const DRIFT_KINDS = ['unknown_remote', 'missing_remote', 'status_differs', 'identity_differs'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export const DRIFT_FIXES = ['adopt', 'mark_terminated', 'reapply_status', 'accept_remote_status'] as const;
export type DriftFix = (typeof DRIFT_FIXES)[number];

export interface DriftRow {
	kind: DriftKind;
	/** The hosting account in Directus, if there is one. */
	hosting_account: string | null;
	remote_id: number | null;
	username: string;
	directus_status: AccountStatus | null;
	nextpanel_status: string | null;
	/** For identity_differs: what NextPanel holds at the id instead. */
	remote_username?: string;
	remote_billing_id?: string | null;
	expected_billing_id?: string | null;
	message: string;
	fixes: DriftFix[];
}

/** What the scheduled drift check keeps on a server item (`drift_report`). */
export type StoredDriftReport = { rows: DriftRow[] } | { error: string };
