// Adopting the accounts a NextPanel server already has. The plan is made in memory from one list
// of the server's accounts and a few batched reads of Directus; it never writes to NextPanel.
// Each account is linked to a customer by its billing id (the customer's primary key), else by
// its e-mail (ignoring case), else - when asked - to a new customer. Anything that would need a
// guess (two customers with that e-mail, a username already taken, no e-mail at all) is reported
// and left alone.
import type { Knex } from 'knex';
import type { NextPanelAccount } from '../nextpanel/contract.ts';
import type { CustomerMapping } from './customers.ts';
import type { ImportRow, ImportSkipReason } from '../../shared/wire/import.ts';

export type { ImportRow, ImportSkipReason };

export interface ImportPlan {
	remote_total: number;
	already_linked: number;
	rows: ImportRow[];
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

export async function planImport(knex: Knex, mapping: CustomerMapping, serverId: string, inputs: PlanInputs): Promise<ImportPlan> {
	const local: { nextpanel_account_id: number | string | null; status: string; server: string | null }[] = await knex('hosting_accounts')
		.select('nextpanel_account_id', 'status', 'server')
		.where({ server: serverId })
		.whereNot('status', 'terminated')
		.whereNotNull('nextpanel_account_id');
	const linked = new Set(local.map((row) => Number(row.nextpanel_account_id)));
	const only = inputs.only ? new Set(inputs.only) : null;
	const candidates = inputs.remote.filter((account) => !linked.has(account.id) && (!only || only.has(account.id)));

	// Usernames are unique across all hosting accounts, terminated ones included.
	const taken = new Map<string, string>();
	for (const batch of chunks(candidates.map((a) => a.username))) {
		const rows: { username: string; status: string }[] = await knex('hosting_accounts')
			.select('username', 'status')
			.whereIn('username', batch);
		for (const row of rows) taken.set(row.username, row.status);
	}

	const byKey = new Set<string>();
	const billingIds = [...new Set(candidates.map((a) => a.billing_id ?? '').filter((id) => id && validKey(mapping, id)))];
	for (const batch of chunks(billingIds)) {
		const rows: Record<string, unknown>[] = await knex(mapping.collection).select(mapping.primary).whereIn(mapping.primary, batch);
		for (const row of rows) byKey.add(String(row[mapping.primary]));
	}

	const byEmail = new Map<string, string[]>();
	const emails = [...new Set(candidates.map((a) => a.email?.trim().toLowerCase() ?? '').filter(Boolean))];
	for (const batch of chunks(emails)) {
		const rows: Record<string, unknown>[] = await knex(mapping.collection)
			.select(mapping.primary, knex.raw('lower(??) as email_key', [mapping.emailField]))
			.whereRaw(`lower(??) in (${batch.map(() => '?').join(', ')})`, [mapping.emailField, ...batch]);
		for (const row of rows) {
			const key = String(row['email_key']);
			byEmail.set(key, [...(byEmail.get(key) ?? []), String(row[mapping.primary])]);
		}
	}

	const rows = candidates.map((account): ImportRow => {
		const email = account.email?.trim() || null;
		const base = { remote_id: account.id, username: account.username, email, nextpanel_status: account.status ?? null };
		const skip = (reason: ImportSkipReason, detail: string): ImportRow => ({
			...base,
			action: 'skip',
			match: null,
			customer: null,
			reason,
			detail,
		});
		if (account.status !== 'active' && account.status !== 'suspended') {
			return skip('unsupported_status', `NextPanel reports the status "${account.status ?? 'none'}", which a hosting account cannot take.`);
		}
		const holder = taken.get(account.username);
		if (holder) return skip('username_taken', `Another hosting account (${holder}) already uses the username "${account.username}".`);
		const take = (match: ImportRow['match'], customer: string | null, detail: string): ImportRow => ({
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
		const matches = byEmail.get(email.toLowerCase()) ?? [];
		if (matches.length > 1) return skip('ambiguous_email', `${matches.length} customers have the e-mail ${email}; link it by hand.`);
		if (matches.length === 1) return take('email', matches[0]!, `The customer with the e-mail ${email}.`);
		if (inputs.createCustomers) return take('new_customer', null, `A new customer for ${email}.`);
		return skip('no_customer', `No customer has the billing id or the e-mail ${email}; import with "create customers" to add one.`);
	});

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
