// Hosting account rows as the core reads them: straight from the table (the core needs the
// internal fields no API read returns), with database types normalised across SQLite and
// PostgreSQL.
import type { Knex } from 'knex';
import type { AccountStatus } from '../../shared/account-states.ts';

export interface AccountRow {
	id: string;
	customer: string;
	server: string | null;
	username: string;
	package: number | null;
	status: AccountStatus;
	nextpanel_account_id: number | null;
	remote_billing_id: string | null;
	attempts: number;
	create_attempted: boolean;
	lease_owner: string | null;
	lease_expires_ms: number | null;
	next_attempt_ms: number | null;
	welcome_mail: string | null;
	revealable: boolean;
	password_generated: boolean;
	/** Internal: the sealed password, for the run that sends it. Never leaves the core. */
	password_ciphertext: string | null;
	user_created: string | null;
}

export const ACCOUNT_ROW_COLUMNS: readonly (keyof AccountRow)[] = [
	'id',
	'customer',
	'server',
	'username',
	'package',
	'status',
	'nextpanel_account_id',
	'remote_billing_id',
	'attempts',
	'create_attempted',
	'lease_owner',
	'lease_expires_ms',
	'next_attempt_ms',
	'welcome_mail',
	'revealable',
	'password_generated',
	'password_ciphertext',
	'user_created',
];

const toNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const toBoolean = (value: unknown) => value === true || value === 1 || value === '1' || value === 'true';

export function normalizeAccountRow(row: Record<string, unknown>): AccountRow {
	return {
		...(row as unknown as AccountRow),
		id: String(row['id']),
		customer: String(row['customer']),
		server: row['server'] === null || row['server'] === undefined ? null : String(row['server']),
		package: toNumber(row['package']),
		nextpanel_account_id: toNumber(row['nextpanel_account_id']),
		attempts: Number(row['attempts'] ?? 0),
		create_attempted: toBoolean(row['create_attempted']),
		revealable: toBoolean(row['revealable']),
		password_generated: toBoolean(row['password_generated']),
		lease_expires_ms: toNumber(row['lease_expires_ms']),
		next_attempt_ms: toNumber(row['next_attempt_ms']),
	};
}

export async function readAccountRow(knex: Knex, id: string): Promise<AccountRow | null> {
	const row = await knex('hosting_accounts').select(ACCOUNT_ROW_COLUMNS).where({ id }).first();
	return row ? normalizeAccountRow(row) : null;
}

/**
 * What NextPanel must hold at the account's id for it to be ours: the username, and the billing id
 * recorded when the account was linked (the customer's id for accounts this plugin created; what
 * NextPanel had, possibly none, for imported ones).
 */
export function remoteIdentity(account: Pick<AccountRow, 'username' | 'remote_billing_id'>): {
	username: string;
	billing_id: string | null;
} {
	return { username: account.username, billing_id: account.remote_billing_id };
}
