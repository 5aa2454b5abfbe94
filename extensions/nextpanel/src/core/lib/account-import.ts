// Adopting the accounts a NextPanel server already has. The plan is made in memory from one list
// of the server's accounts and a few batched reads of Directus; it never writes to NextPanel.
// The dry run and the apply are this one plan: every row the apply could not store (a name or
// e-mail Directus would refuse, an id listed twice) is skipped here with its reason, never
// left to fail the whole apply.
// Each account is linked to a customer by its billing id (the customer's primary key), else by
// its e-mail (ignoring case), else - when asked - to a new customer. Anything that would need a
// guess (two customers with that e-mail, a username already taken, no e-mail at all) is reported
// and left alone.
import type { Knex } from 'knex';
import { excerpt } from '../../shared/text.ts';
import { usernameProblem } from '../../shared/username.ts';
import type { NextPanelAccount } from '../nextpanel/contract.ts';
import type { CustomerMapping } from './customers.ts';
import type { ImportRow, ImportSkipReason } from '../../shared/wire/import.ts';

export type { ImportRow, ImportSkipReason };

/** A row as the apply needs it: what the customer is called and when the account was created, decided here once. */
export interface PlannedRow extends ImportRow {
	customer_name: string;
	provisioned_at: string;
}

export interface ImportPlan {
	remote_total: number;
	already_linked: number;
	rows: PlannedRow[];
	warnings: string[];
}

export interface PlanInputs {
	remote: NextPanelAccount[];
	createCustomers: boolean;
	/** Only these NextPanel ids (a drift fix adopts one account); all when absent. */
	only?: number[];
	capacity: number;
	serverName: string;
}

const BATCH = 500;
/** What a report shows of remote text, and what a new customer's name keeps of it. */
const MAX_SHOWN = 64;
const MAX_NAME = 200;
/** `remote_billing_id` is a string(255) column. */
const MAX_BILLING_ID = 255;

/** The same test as the customer collection's e-mail field: one @, no spaces, at most 254 characters. */
export function isEmailAddress(text: string): boolean {
	return text.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
}

function validDate(text: string | null | undefined): string | null {
	if (!text) return null;
	const time = Date.parse(text);
	return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Accounts whose id or username the server lists more than once: linking either would be a guess. */
function duplicatesIn(accounts: NextPanelAccount[]): Set<NextPanelAccount> {
	const count = (key: (account: NextPanelAccount) => string) => {
		const seen = new Map<string, number>();
		for (const account of accounts) seen.set(key(account), (seen.get(key(account)) ?? 0) + 1);
		return (account: NextPanelAccount) => (seen.get(key(account)) ?? 0) > 1;
	};
	const idTwice = count((account) => String(account.id));
	const nameTwice = count((account) => account.username);
	return new Set(accounts.filter((account) => idTwice(account) || nameTwice(account)));
}

function chunks<T>(items: T[], size = BATCH): T[][] {
	const result: T[][] = [];
	for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
	return result;
}

function validKey(mapping: CustomerMapping, value: string): boolean {
	if (mapping.primaryType === 'uuid') return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
	if (mapping.primaryType === 'integer' || mapping.primaryType === 'bigInteger') return /^[1-9]\d{0,15}$/.test(value);
	return value.length > 0 && value.length <= 255;
}

export async function planImport({
	knex,
	mapping,
	serverId,
	inputs,
}: {
	knex: Knex;
	mapping: CustomerMapping;
	serverId: string;
	inputs: PlanInputs;
}): Promise<ImportPlan> {
	const local: { nextpanel_account_id: number | string | null; status: string; server: string | null }[] = await knex('hosting_accounts')
		.select('nextpanel_account_id', 'status', 'server')
		.where({ server: serverId })
		.whereNot('status', 'terminated')
		.whereNotNull('nextpanel_account_id');
	const linked = new Set(local.map((row) => Number(row.nextpanel_account_id)));
	const only = inputs.only ? new Set(inputs.only) : null;
	const unlinked = inputs.remote.filter((account) => !linked.has(account.id) && (!only || only.has(account.id)));
	const listedTwice = duplicatesIn(unlinked);
	const candidates = unlinked.filter((account) => !listedTwice.has(account));

	// Usernames are unique across all hosting accounts, terminated ones included.
	const taken = new Map<string, string>();
	for (const batch of chunks(candidates.map((a) => a.username).filter((name) => usernameProblem(name) === null))) {
		const rows: { username: string; status: string }[] = await knex('hosting_accounts')
			.select('username', 'status')
			.whereIn('username', batch);
		for (const row of rows) taken.set(row.username, row.status);
	}

	const byKey = new Set<string>();
	const billingIds = [
		...new Set(candidates.map((a) => a.billing_id ?? '').filter((id) => id && id.length <= MAX_BILLING_ID && validKey(mapping, id))),
	];
	for (const batch of chunks(billingIds)) {
		const rows: Record<string, unknown>[] = await knex(mapping.collection).select(mapping.primary).whereIn(mapping.primary, batch);
		for (const row of rows) byKey.add(String(row[mapping.primary]));
	}

	const byEmail = new Map<string, string[]>();
	const emails = [...new Set(candidates.map((a) => a.email?.trim().toLowerCase() ?? '').filter(isEmailAddress))];
	for (const batch of chunks(emails)) {
		const rows: Record<string, unknown>[] = await knex(mapping.collection)
			.select(mapping.primary, knex.raw('lower(??) as email_key', [mapping.emailField]))
			.whereRaw(`lower(??) in (${batch.map(() => '?').join(', ')})`, [mapping.emailField, ...batch]);
		for (const row of rows) {
			const key = String(row['email_key']);
			byEmail.set(key, [...(byEmail.get(key) ?? []), String(row[mapping.primary])]);
		}
	}

	const plannedRow = (account: NextPanelAccount): PlannedRow => {
		const email = account.email?.trim() || null;
		const base = {
			remote_id: account.id,
			username: excerpt(account.username, MAX_SHOWN),
			email: email === null ? null : excerpt(email, MAX_SHOWN),
			nextpanel_status: account.status === null || account.status === undefined ? null : excerpt(account.status),
			customer_name: excerpt((typeof account['full_name'] === 'string' && account['full_name'].trim()) || account.username, MAX_NAME),
			provisioned_at: validDate(account.created_at) ?? new Date().toISOString(),
		};
		const skip = (reason: ImportSkipReason, detail: string): PlannedRow => ({
			...base,
			action: 'skip',
			match: null,
			customer: null,
			reason,
			detail,
		});
		if (listedTwice.has(account)) {
			return skip(
				'duplicate_remote',
				`NextPanel lists account ${account.id} or the username "${excerpt(account.username)}" more than once; check the server before importing it.`,
			);
		}
		if (account.status !== 'active' && account.status !== 'suspended') {
			return skip(
				'unsupported_status',
				`NextPanel reports the status "${excerpt(account.status ?? 'none')}", which a hosting account cannot take.`,
			);
		}
		const problem = usernameProblem(account.username);
		if (problem)
			return skip('invalid_username', `The username "${excerpt(account.username)}" ${problem}, so it cannot be a hosting account here.`);
		const holder = taken.get(account.username);
		if (holder) return skip('username_taken', `Another hosting account (${holder}) already uses the username "${account.username}".`);
		if (account.billing_id && account.billing_id.length > MAX_BILLING_ID)
			return skip('invalid_billing_id', `The billing id "${excerpt(account.billing_id)}" is longer than ${MAX_BILLING_ID} characters.`);
		const take = (match: ImportRow['match'], customer: string | null, detail: string): PlannedRow => ({
			...base,
			action: 'import',
			match,
			customer,
			reason: null,
			detail,
		});
		if (account.billing_id && byKey.has(account.billing_id))
			return take('billing_id', account.billing_id, `Billing id ${account.billing_id} is a customer.`);
		if (!email) return skip('no_email', 'The account has no e-mail address and its billing id is no customer; link it by hand.');
		if (!isEmailAddress(email)) return skip('invalid_email', `"${excerpt(email)}" is not an e-mail address a customer can have.`);
		const matches = byEmail.get(email.toLowerCase()) ?? [];
		if (matches.length > 1) return skip('ambiguous_email', `${matches.length} customers have the e-mail ${email}; link it by hand.`);
		if (matches.length === 1) return take('email', matches[0]!, `The customer with the e-mail ${email}.`);
		if (inputs.createCustomers) return take('new_customer', null, `A new customer for ${email}.`);
		return skip('no_customer', `No customer has the billing id or the e-mail ${email}; import with "create customers" to add one.`);
	};
	const rows = [...candidates, ...listedTwice].map(plannedRow);

	const warnings: string[] = [];
	const importing = rows.filter((row) => row.action === 'import').length;
	const used = local.length;
	if (used + importing > inputs.capacity) {
		warnings.push(
			`After the import NextPanel server "${inputs.serverName}" holds ${used + importing} accounts, more than its capacity of ${inputs.capacity}; existing accounts are imported anyway, but no new ones are provisioned there until its capacity is raised.`,
		);
	}
	return {
		remote_total: inputs.remote.length,
		already_linked: inputs.remote.length - inputs.remote.filter((a) => !linked.has(a.id)).length,
		rows,
		warnings,
	};
}
