import type { SchemaOverview } from '@directus/types';
import { describe, expect, test } from 'vitest';
import { refusedByName, refusedInSchema } from './customer-collection.ts';

const config = (collection: string, name = 'full_name', email = 'email') => ({
	NEXTPANEL_CUSTOMERS_COLLECTION: collection,
	NEXTPANEL_CUSTOMER_NAME_FIELD: name,
	NEXTPANEL_CUSTOMER_EMAIL_FIELD: email,
});

describe('the customer collection the configuration may name', () => {
	test.each([
		['directus_users', /Directus system collection/],
		['DIRECTUS_Roles', /Directus system collection/],
		['directus_policies', /Directus system collection/],
		['hosting_accounts', /plugin's own collections/],
		['nextpanel_servers', /plugin's own collections/],
		['nextpanel_install_steps', /plugin's own collections/],
	])('%s is refused', (collection, reason) => {
		expect(refusedByName(config(collection))).toMatch(reason);
	});

	test.each([
		[config('clients', 'email', 'email'), /must be two fields/],
		[config('clients', 'hosting_username'), /a field the plugin adds itself/],
		[config('clients', 'name', 'provision_hosting'), /a field the plugin adds itself/],
	])('bad field mappings are refused: %j', (mapping, reason) => {
		expect(refusedByName(mapping)).toMatch(reason);
	});

	test('an ordinary collection, even one named like a system table elsewhere, may be used', () => {
		for (const name of ['customers', 'clients', 'users', 'my_directus_users']) expect(refusedByName(config(name))).toBeNull();
	});

	test('the schema refuses a singleton and a primary key named as the name or e-mail field', () => {
		const schema = (singleton: boolean) =>
			({ collections: { clients: { primary: 'id', singleton, fields: {} } }, relations: [] }) as unknown as SchemaOverview;
		expect(refusedInSchema(config('clients', 'name'), schema(true))).toMatch(/a singleton/);
		expect(refusedInSchema(config('clients', 'id'), schema(false))).toMatch(/the primary key of "clients"/);
		expect(refusedInSchema(config('clients', 'name', 'id'), schema(false))).toMatch(/the primary key/);
		expect(refusedInSchema(config('clients', 'name'), schema(false))).toBeNull();
	});
});
