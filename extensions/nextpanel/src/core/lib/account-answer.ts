// A hosting account's row as the database holds it, built from the columns a request has just
// written, so that its answer need not read the row back. Directus's own read pipeline
// (PayloadService) then formats it, as it formats a read. Where the stored value could differ
// from what was written (a driver's own types, a database that drops milliseconds), there is no
// row and the caller reads it back instead.
import type { SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { ACCOUNT_PUBLIC_FIELDS } from '../../shared/account-fields.ts';

/** The databases whose stored values this knows: timestamps keep their milliseconds, keys their spelling. */
const KNOWN_CLIENTS = new Set(['sqlite3', 'pg']);

/** The public columns as stored: what was written, else the column's default; null when that cannot be told. */
export function storedAccountRow({
	schema,
	knex,
	written,
}: {
	schema: SchemaOverview;
	knex: Knex;
	written: Readonly<Record<string, unknown>>;
}): Record<string, unknown> | null {
	if (!KNOWN_CLIENTS.has(String(knex.client.config.client))) return null;
	const fields = schema.collections['hosting_accounts']?.fields;
	if (!fields) return null;
	const row: Record<string, unknown> = {};
	for (const name of ACCOUNT_PUBLIC_FIELDS) {
		const field = fields[name];
		if (!field) return null;
		const value = Object.hasOwn(written, name) ? written[name] : (field.defaultValue ?? null);
		if (value === null || value === undefined) {
			row[name] = null;
			continue;
		}
		switch (field.type) {
			case 'integer':
				// A customer key arrives as text; an integer column gives it back as a number.
				if (typeof value === 'number') row[name] = value;
				else if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) row[name] = Number(value);
				else return null;
				break;
			case 'uuid':
				// PostgreSQL gives uuids back in lower case, SQLite as written.
				if (typeof value !== 'string' || value !== value.toLowerCase()) return null;
				row[name] = value;
				break;
			case 'bigInteger':
			case 'decimal':
			case 'float':
				// Drivers differ on these (text or number): read them back.
				return null;
			default:
				row[name] = value;
		}
	}
	return row;
}
