// Which collection the configuration may name as the customer collection. The installer adds
// fields and a relation to it and gives the operator policy create, read and update on it, so
// pointing it at `directus_users` would let an operator make themselves an administrator, and
// pointing it at one of the plugin's own collections would tangle the two. Anything that is not
// an ordinary content collection of the project is refused before anything is written; Directus
// still starts, and the log, the module and /nextpanel/status say why.
import type { SchemaOverview } from '@directus/types';
import type { NextPanelConfig } from '../config.ts';
import { PLUGIN_CUSTOMER_FIELDS } from '../install/customer-fields.ts';

/** The plugin's own collections: never a customer collection. */
const PLUGIN_OWN = /^(nextpanel_|hosting_accounts$)/i;

type MappingConfig = Pick<
	NextPanelConfig,
	'NEXTPANEL_CUSTOMERS_COLLECTION' | 'NEXTPANEL_CUSTOMER_NAME_FIELD' | 'NEXTPANEL_CUSTOMER_EMAIL_FIELD'
>;

/**
 * Why the configured names cannot be used, from the names alone (so hooks can decide before the
 * schema is read), or null when they may.
 */
export function refusedByName(config: MappingConfig): string | null {
	const collection = config.NEXTPANEL_CUSTOMERS_COLLECTION;
	if (/^directus_/i.test(collection)) {
		return `NEXTPANEL_CUSTOMERS_COLLECTION is "${collection}", a Directus system collection; the plugin never adds fields, relations or permissions to one. Point it at a content collection of your project (or unset it to let the plugin create "customers"), then restart Directus. Nothing was changed.`;
	}
	if (PLUGIN_OWN.test(collection)) {
		return `NEXTPANEL_CUSTOMERS_COLLECTION is "${collection}", one of the plugin's own collections. Point it at your customer collection (or unset it), then restart Directus. Nothing was changed.`;
	}
	const name = config.NEXTPANEL_CUSTOMER_NAME_FIELD;
	const email = config.NEXTPANEL_CUSTOMER_EMAIL_FIELD;
	if (name === email) {
		return `NEXTPANEL_CUSTOMER_NAME_FIELD and NEXTPANEL_CUSTOMER_EMAIL_FIELD are both "${name}"; the name and the e-mail address must be two fields. Nothing was changed.`;
	}
	for (const [variable, field] of [
		['NEXTPANEL_CUSTOMER_NAME_FIELD', name],
		['NEXTPANEL_CUSTOMER_EMAIL_FIELD', email],
	] as const) {
		if (PLUGIN_CUSTOMER_FIELDS.includes(field)) {
			return `${variable} is "${field}", a field the plugin adds itself; set it to the field of your collection that holds the customer's ${variable.endsWith('EMAIL_FIELD') ? 'e-mail address' : 'name'}. Nothing was changed.`;
		}
	}
	return null;
}

/** `refusedByName`, then what only the schema shows: a singleton, or a key named as the name or e-mail. */
export function refusedInSchema(config: MappingConfig, schema: SchemaOverview): string | null {
	const byName = refusedByName(config);
	if (byName) return byName;
	const collection = config.NEXTPANEL_CUSTOMERS_COLLECTION;
	const info = schema.collections[collection];
	if (!info) return null;
	if (info.singleton) {
		return `NEXTPANEL_CUSTOMERS_COLLECTION is "${collection}", a singleton; customers need a collection of many items. Nothing was changed.`;
	}
	for (const [variable, field] of [
		['NEXTPANEL_CUSTOMER_NAME_FIELD', config.NEXTPANEL_CUSTOMER_NAME_FIELD],
		['NEXTPANEL_CUSTOMER_EMAIL_FIELD', config.NEXTPANEL_CUSTOMER_EMAIL_FIELD],
	] as const) {
		if (field === info.primary) {
			return `${variable} is "${field}", the primary key of "${collection}"; set it to the field that holds the customer's ${variable.endsWith('EMAIL_FIELD') ? 'e-mail address' : 'name'}. Nothing was changed.`;
		}
	}
	return null;
}
