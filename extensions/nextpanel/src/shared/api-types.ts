// What the app reads from the /nextpanel routes and the items API. The shapes live here, on the
// ground floor, and the core imports them: nothing here imports from the rest of the bundle.
import type { AccountAction as CoreAccountAction, AccountStatus } from './account-states.ts';
import { ACCOUNT_PUBLIC_FIELDS } from './account-fields.ts';
import type { ServerPackage } from './packages.ts';

export type { CheckName, ConnectionCheck, ConnectionStatus, ConnectionTestResult } from './wire/connection-test.ts';
export type { AccountStatus };

/** One row of `GET /nextpanel/servers/capacity`. */
export interface ServerCapacity {
	id: string;
	name: string;
	status: 'active' | 'disabled';
	capacity: number;
	active_accounts: number;
	free_slots: number;
	full: boolean;
	packages: ServerPackage[];
}

/** Statuses that change on the server without anyone clicking: worth polling. */
export const IN_FLIGHT_STATUSES: readonly AccountStatus[] = ['pending', 'provisioning'];

/** A hosting account as the panel reads it: `server` expanded to its id and name. */
export interface HostingAccount {
	id: string;
	customer: string;
	server: { id: string; name: string } | null;
	username: string;
	package: number | null;
	status: AccountStatus;
	nextpanel_account_id: number | null;
	last_error: string | null;
	attempts: number;
	provisioned_at: string | null;
	suspended_at: string | null;
	suspend_reason: string | null;
	terminated_at: string | null;
	disk_used_mb: number | null;
	disk_limit_mb: number | null;
	bandwidth_used_mb: number | null;
	bandwidth_limit_mb: number | null;
	usage_synced_at: string | null;
	welcome_mail: string | null;
	revealable: boolean;
	/** The service term: YYYY-MM-DD, or null for none. */
	paid_until: string | null;
	overdue_exempt: boolean | null;
	/** Set when the overdue job suspended the account. */
	overdue_suspended_at: string | null;
	date_created: string | null;
	user_created: string | null;
}

/** The fields the panel asks for: the public ones, with `server` expanded to its id and name. */
export const HOSTING_ACCOUNT_FIELDS: readonly string[] = ACCOUNT_PUBLIC_FIELDS.flatMap((field) =>
	field === 'server' ? ['server.id', 'server.name'] : [field],
);

/** What a person can do to an existing account from the panel (provisioning has its own form). */
export type AccountAction = Exclude<CoreAccountAction, 'provision' | 'mark_terminated' | 'reapply_status' | 'accept_remote_status'>;

/** An account as the /nextpanel routes answer: the fields the caller may read, `server` as an id. */
export interface AccountSnapshot {
	id: string;
	status: AccountStatus | null;
	username?: string;
	server?: string | null;
}

/** `POST /nextpanel/accounts` answers 201 with this; 202 (someone else is provisioning it) without the password. */
export interface ProvisionResponse {
	data: AccountSnapshot;
	generated_password?: string;
}

/** What the suspend, unsuspend, terminate, retry and sync routes answer. */
export interface AccountActionResponse {
	data: AccountSnapshot;
}

/** What a `nextpanel_logs` row records: a NextPanel call, or an event kept in the same audit trail. */
export type { CallAction } from './wire/call-log.ts';

export type { DriftFix, DriftKind, DriftRow, StoredDriftReport } from './wire/drift.ts';
export type { ImportReport, ImportRow, ImportSkipReason } from './wire/import.ts';

/** `GET /nextpanel/status`: whether the plugin can work, and if not, what an administrator has to set. */
/** Where the plugin's customers live in this project (NEXTPANEL_CUSTOMERS_COLLECTION and its field names). */
export interface CustomerNames {
	collection: string;
	name_field: string;
	email_field: string;
}

export interface SetupStatus {
	ready: boolean;
	problems: string[];
	/** What works in a reduced way (a collection left out for lack of room); the plugin still works. */
	notices: string[];
	customers: CustomerNames;
}

/** The demo's names, until the status says otherwise. */
export const DEFAULT_CUSTOMER_NAMES: CustomerNames = { collection: 'customers', name_field: 'full_name', email_field: 'email' };
