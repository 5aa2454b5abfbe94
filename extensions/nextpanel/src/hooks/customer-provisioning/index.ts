// "Provision hosting" on a customer: checked before the customer is saved (a bad server,
// username or password refuses the whole save), the hosting account is written in the same
// transaction as the customer, and NextPanel is called after the save, in the background.
import { defineHook } from '@directus/extensions-sdk';
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { InvalidPayloadError } from '../../core/errors.ts';
import { storeSealedPassword } from '../../core/provisioning/account-store.ts';
import { provisionInBackground } from '../../core/provisioning/background.ts';
import { stashPassword } from '../../core/provisioning/password-stash.ts';
import { checkInputs, CUSTOMER_FIELDS } from '../../core/provisioning/provisioning-inputs.ts';
import { useRuntime, type Runtime } from '../../core/runtime.ts';
import { PASSWORD_PURPOSE } from '../../core/secret-purposes.ts';
import { isUnconfirmedMarker } from '../../shared/password-field.ts';

type CustomerPayload = Record<string, unknown>;

interface FilterContext {
	database: Knex;
	schema: SchemaOverview;
	accountability: Accountability | null;
}

const isTrue = (value: unknown) => value === true || value === 1 || value === 'true' || value === '1';
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const integer = (value: unknown) => (value === null || value === undefined || value === '' ? null : Number(value));

/**
 * Takes the password out of the payload: it is an alias field and is never stored with the
 * customer. A password the person has not confirmed saving refuses a provisioning save.
 */
function takePassword(payload: CustomerPayload): string | null {
	const value = payload['hosting_password'];
	delete payload['hosting_password'];
	if (isUnconfirmedMarker(value) && isTrue(payload['provision_hosting'])) {
		throw new InvalidPayloadError({
			reason:
				'hosting_password: confirm that you have saved the password ("I have saved this password") before saving; it is shown only once',
		});
	}
	if (value !== undefined && value !== null && value !== '' && typeof value !== 'string' && !isUnconfirmedMarker(value)) {
		throw new InvalidPayloadError({ reason: 'hosting_password: must be text' });
	}
	return typeof value === 'string' && value !== '' ? value : null;
}

/** Adds one item to the create list of an o2m field, whatever shape the caller used for it. */
function appendNestedCreate(payload: CustomerPayload, field: string, item: Record<string, unknown>): void {
	const current = payload[field];
	if (Array.isArray(current)) payload[field] = [...current, item];
	else if (current && typeof current === 'object' && 'create' in current) {
		const nested = current as { create?: unknown[] };
		payload[field] = { ...nested, create: [...(nested.create ?? []), item] };
	} else payload[field] = { create: [item], update: [], delete: [] };
}

function packageOf(value: unknown): number | null {
	const pkg = integer(value);
	if (pkg !== null && (!Number.isInteger(pkg) || pkg < 0))
		throw new InvalidPayloadError({ reason: 'hosting_package: must be a whole number (a NextPanel package id)' });
	return pkg;
}

export default defineHook(({ filter, action }, context) => {
	const runtime = (): Runtime => useRuntime(context);

	filter('customers.items.create', async (input, _meta, ctx) => {
		const payload = input as CustomerPayload;
		const password = takePassword(payload);
		if (!isTrue(payload['provision_hosting'])) return payload;
		const { database } = ctx as FilterContext;
		const inputs = await checkInputs(
			runtime(),
			database,
			{
				server: text(payload['hosting_server']),
				username: text(payload['hosting_username']),
				password,
				package: packageOf(payload['hosting_package']),
			},
			{ full_name: text(payload['full_name']), email: text(payload['email']) },
			CUSTOMER_FIELDS,
		);
		appendNestedCreate(payload, 'hosting_accounts', { server: inputs.server, username: inputs.username, package: inputs.package });
		stashPassword(inputs.username, String(payload['email'] ?? ''), runtime().secrets.seal(inputs.password, PASSWORD_PURPOSE));
		return payload;
	});

	// Turning the flag on for customers that have no hosting account yet provisions them too.
	filter('customers.items.update', async (input, meta, ctx) => {
		const payload = input as CustomerPayload;
		const password = takePassword(payload);
		if (!isTrue(payload['provision_hosting'])) return payload;
		const { database, schema, accountability } = ctx as FilterContext;
		const keys = ((meta as { keys?: (string | number)[] }).keys ?? []).map(String);
		const needing: {
			id: string;
			full_name: string;
			email: string;
			hosting_server: string | null;
			hosting_username: string | null;
			hosting_package: number | null;
		}[] = [];
		for (const id of keys) {
			const hasAccount = await database('hosting_accounts').select('id').where({ customer: id }).whereNot('status', 'terminated').first();
			if (hasAccount) continue;
			const current = await database('customers')
				.select('id', 'full_name', 'email', 'hosting_server', 'hosting_username', 'hosting_package')
				.where({ id })
				.first();
			if (current) needing.push(current);
		}
		if (needing.length > 1 && (password || text(payload['hosting_username']))) {
			throw new InvalidPayloadError({
				reason: 'hosting_username / hosting_password: several customers cannot share one; leave them empty to derive and generate one each',
			});
		}
		const accounts = new context.services.ItemsService('hosting_accounts', { schema, accountability, knex: database });
		for (const customer of needing) {
			const inputs = await checkInputs(
				runtime(),
				database,
				{
					server: 'hosting_server' in payload ? text(payload['hosting_server']) : customer.hosting_server,
					username: 'hosting_username' in payload ? text(payload['hosting_username']) : customer.hosting_username,
					password,
					package: packageOf('hosting_package' in payload ? payload['hosting_package'] : customer.hosting_package),
				},
				{ full_name: text(payload['full_name']) ?? customer.full_name, email: text(payload['email']) ?? customer.email },
				CUSTOMER_FIELDS,
			);
			// Created with the caller's rights inside the customer's transaction; events are held
			// back because the row is not committed yet - the update action below provisions it.
			const id = await accounts.createOne(
				{ customer: customer.id, server: inputs.server, username: inputs.username, package: inputs.package },
				{ emitEvents: false },
			);
			await storeSealedPassword(database, String(id), runtime().secrets.seal(inputs.password, PASSWORD_PURPOSE));
		}
		return payload;
	});

	action('customers.items.update', async (meta, ctx) => {
		const { keys, payload } = meta as { keys?: (string | number)[]; payload?: CustomerPayload };
		if (!payload || !isTrue(payload['provision_hosting']) || !keys?.length) return;
		const pending = await runtime()
			.database('hosting_accounts')
			.select('id')
			.whereIn('customer', keys.map(String))
			.where({ status: 'pending' });
		const user = (ctx as { accountability?: Accountability | null }).accountability?.user ?? null;
		for (const { id } of pending) void provisionInBackground(runtime(), String(id), user);
	});
});
