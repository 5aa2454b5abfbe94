// The one list of hosting account fields, by who may write them and who may read them. The
// guards, the service, the REST answers, the Flow results and the app all derive from it.

/** What a person sets when creating an account (through the item API, a customer, or REST). */
export const ACCOUNT_INPUT_FIELDS = ['customer', 'server', 'username', 'package'] as const;

/** The service term: what an operator sets (REST, the app, Flows, an import), and the overdue job reads. */
export const ACCOUNT_TERM_FIELDS = ['paid_until', 'overdue_exempt'] as const;

/** The provisioning state: written only by the service, readable by anyone who may read the account. */
export const ACCOUNT_STATE_FIELDS = [
	'status',
	'nextpanel_account_id',
	'last_error',
	'attempts',
	'provisioned_at',
	'suspended_at',
	'suspend_reason',
	'terminated_at',
	'disk_used_mb',
	'disk_limit_mb',
	'bandwidth_used_mb',
	'bandwidth_limit_mb',
	'usage_synced_at',
	'welcome_mail',
	'revealable',
	/** Set when the overdue job suspended the account; a payment lifts only such a suspension. */
	'overdue_suspended_at',
] as const;

/** Bookkeeping of claims, retries and held passwords: written only by the service, never returned by any read. */
export const ACCOUNT_INTERNAL_FIELDS = [
	'next_attempt_ms',
	'lease_owner',
	'lease_expires_ms',
	'create_attempted',
	'password_ciphertext',
	'password_generated',
	'welcome_mail_attempts',
	'remote_billing_id',
	/** Which notices of the current term went out, so each goes once. */
	'overdue_notices',
] as const;

/** Directus's own fields of the collection. */
export const ACCOUNT_SYSTEM_FIELDS = ['id', 'date_created', 'user_created'] as const;

/** What a reader of hosting_accounts sees, and what the REST routes and Flow operations return. */
export const ACCOUNT_PUBLIC_FIELDS = [
	...ACCOUNT_SYSTEM_FIELDS,
	...ACCOUNT_INPUT_FIELDS,
	...ACCOUNT_TERM_FIELDS,
	...ACCOUNT_STATE_FIELDS,
] as const;

/** Fields no person may write through the item API. */
export const ACCOUNT_MANAGED_FIELDS: readonly string[] = [...ACCOUNT_STATE_FIELDS, ...ACCOUNT_INTERNAL_FIELDS];

/** Fields NextPanel cannot change once the account exists there (its API has no change-package call). */
export const ACCOUNT_FIXED_ONCE_PROVISIONED = ['customer', 'server', 'username', 'package'] as const;

export type AccountPublicField = (typeof ACCOUNT_PUBLIC_FIELDS)[number];

/** A record reduced to its public fields (the ones present). */
export function publicAccountFields<T extends Record<string, unknown>>(record: T): Partial<Record<AccountPublicField, unknown>> {
	const result: Partial<Record<AccountPublicField, unknown>> = {};
	for (const field of ACCOUNT_PUBLIC_FIELDS) if (field in record) result[field] = record[field];
	return result;
}
