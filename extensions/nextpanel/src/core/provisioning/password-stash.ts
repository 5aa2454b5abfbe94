// Carries a sealed password from a customer's create (where it is typed) to the hosting account
// created inside it (where it is stored). Entries are keyed by username and the customer's
// e-mail: both are unique, so a password can only reach the account it was chosen for.
import type { Knex } from 'knex';
import { InvalidPayloadError } from '../errors.ts';

const TTL_MS = 60_000;

interface Entry {
	email: string;
	sealed: string;
	expires: number;
}

const entries = new Map<string, Entry>();

function prune(now: number): void {
	for (const [username, entry] of entries) if (entry.expires < now) entries.delete(username);
}

export function stashPassword(username: string, email: string, sealed: string): void {
	const now = Date.now();
	prune(now);
	const existing = entries.get(username);
	// The same customer saving again (after a refused save) replaces its own entry; another
	// customer asking for the same username at the same moment is refused rather than risking
	// one customer's password reaching the other's account.
	if (existing && existing.email !== email.toLowerCase()) {
		throw new InvalidPayloadError({
			reason: `hosting_username: "${username}" is being provisioned for another customer right now; choose another username`,
		});
	}
	entries.set(username, { email: email.toLowerCase(), sealed, expires: now + TTL_MS });
}

export async function takeStashedPassword(knex: Knex, username: string, customerId: string): Promise<string | null> {
	const entry = entries.get(username);
	if (!entry) return null;
	const customer = await knex('customers').select('email').where({ id: customerId }).first();
	if (!customer || String(customer.email).toLowerCase() !== entry.email) return null;
	entries.delete(username);
	return entry.expires >= Date.now() ? entry.sealed : null;
}
