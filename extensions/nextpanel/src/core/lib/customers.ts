// The customer collection the plugin works with: its own `customers`, or a collection the host
// project already had, named by NEXTPANEL_CUSTOMERS_COLLECTION with its name and e-mail fields
// mapped. Everything that reads customers goes through here.
import type { SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import type { NextPanelConfig } from '../config.ts';
import { refusedInSchema } from './customer-collection.ts';

export interface CustomerMapping {
	collection: string;
	primary: string;
	primaryType: string;
	nameField: string;
	emailField: string;
	/** Optional fields NextPanel also takes, when the collection has them. */
	phoneField: string | null;
	companyField: string | null;
}

export interface CustomerIdentity {
	id: string;
	name: string | null;
	email: string | null;
	phone: string | null;
	company: string | null;
}

/**
 * How the configured customer collection maps onto what NextPanel needs, or the sentence that
 * says what to set. `null` collections (not installed yet) are reported by the caller.
 */
export function customerMapping(config: NextPanelConfig, schema: SchemaOverview): CustomerMapping | { problem: string } {
	const refused = refusedInSchema(config, schema);
	if (refused) return { problem: refused };
	const collection = config.NEXTPANEL_CUSTOMERS_COLLECTION;
	const info = schema.collections[collection];
	if (!info) {
		return {
			problem: `the customer collection "${collection}" (NEXTPANEL_CUSTOMERS_COLLECTION) does not exist yet; restart Directus to let the plugin create it, or set NEXTPANEL_CUSTOMERS_COLLECTION to your customer collection.`,
		};
	}
	const missing = (field: string, variable: string) =>
		`the customer collection "${collection}" has no field "${field}" (${variable}); set ${variable} to the field that holds the customer's ${variable.endsWith('EMAIL_FIELD') ? 'e-mail address' : 'name'}.`;
	const name = config.NEXTPANEL_CUSTOMER_NAME_FIELD;
	const email = config.NEXTPANEL_CUSTOMER_EMAIL_FIELD;
	if (!info.fields[name] || info.fields[name].alias) return { problem: missing(name, 'NEXTPANEL_CUSTOMER_NAME_FIELD') };
	if (!info.fields[email] || info.fields[email].alias) return { problem: missing(email, 'NEXTPANEL_CUSTOMER_EMAIL_FIELD') };
	const primaryType = info.fields[info.primary]?.type ?? 'unknown';
	if (!['uuid', 'integer', 'bigInteger', 'string'].includes(primaryType)) {
		return {
			problem: `the customer collection "${collection}" has a primary key of type ${primaryType}; hosting accounts can link to uuid, integer or string keys only.`,
		};
	}
	const optional = (field: string) => (info.fields[field] && !info.fields[field].alias ? field : null);
	return {
		collection,
		primary: info.primary,
		primaryType,
		nameField: name,
		emailField: email,
		phoneField: optional('phone'),
		companyField: optional('company'),
	};
}

const text = (value: unknown) => (value === null || value === undefined || value === '' ? null : String(value));

export function customerIdentity(mapping: CustomerMapping, row: Record<string, unknown>): CustomerIdentity {
	return {
		id: String(row[mapping.primary]),
		name: text(row[mapping.nameField]),
		email: text(row[mapping.emailField]),
		phone: mapping.phoneField ? text(row[mapping.phoneField]) : null,
		company: mapping.companyField ? text(row[mapping.companyField]) : null,
	};
}

export async function readCustomer(knex: Knex, mapping: CustomerMapping, id: string): Promise<CustomerIdentity | null> {
	const columns = [mapping.primary, mapping.nameField, mapping.emailField, mapping.phoneField, mapping.companyField].filter(
		(column): column is string => column !== null,
	);
	const row = await knex(mapping.collection).select(columns).where(mapping.primary, id).first();
	return row ? customerIdentity(mapping, row) : null;
}
