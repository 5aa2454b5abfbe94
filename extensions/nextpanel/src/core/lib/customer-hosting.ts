// "Provision hosting" on a customer save. The hosting inputs are checked before the customer is
// saved (bad input refuses the whole save), and the hosting account is added to the save as a
// nested item, so Directus writes it in the customer's own transaction and announces it once
// that transaction is committed; the hosting-account rules take it from there. The password
// travels inside that nested item and is sealed before anything is stored.
import type { Knex } from 'knex';
import type { z } from 'zod';
import { customerHostingSchema, describeIssues, type AccountInputs } from '../../shared/api-schemas.ts';
import { isUnconfirmedMarker } from '../../shared/password-field.ts';
import { InvalidPayloadError, StateConflictError } from '../errors.ts';
import { CUSTOMER_FIELD_NAMES } from './account-inputs.ts';
import type { CustomerIdentity, CustomerMapping } from './customers.ts';

type Payload = Record<string, unknown>;

export interface CustomerHostingContext {
	knex: Knex;
	/** Asked only when a save provisions, so customer saves never depend on the plugin's set-up. */
	mapping(): CustomerMapping;
	/** The caller may save these customers (or create one) and create hosting accounts; asked before anything is looked up. */
	mayProvision(keys: string[] | null): Promise<void>;
	/** The same checks every entry point makes, named as the customer form names the fields. */
	check(inputs: AccountInputs, customer: Pick<CustomerIdentity, 'name' | 'email'>): Promise<void>;
}

/**
 * Takes the password out of the payload: it is an alias field, never stored with the customer.
 * A password nobody confirmed saving refuses a provisioning save.
 */
function takePassword({ payload, provisioning }: { payload: Payload; provisioning: boolean }): string | null {
	const value = payload['hosting_password'];
	delete payload['hosting_password'];
	if (isUnconfirmedMarker(value)) {
		if (provisioning) {
			throw new InvalidPayloadError({
				reason:
					'hosting_password: confirm that you have saved the password ("I have saved this password") before saving; it is shown only once',
			});
		}
		return null;
	}
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string') throw new InvalidPayloadError({ reason: 'hosting_password: must be text' });
	if (value.length > 128) throw new InvalidPayloadError({ reason: 'hosting_password: must be at most 128 characters' });
	return value;
}

// Built once: a zod schema is costly to construct, and this runs on every customer save.
const presentHostingFieldsSchema = customerHostingSchema.partial();
const HOSTING_KEYS = Object.keys(customerHostingSchema.shape);

/** The hosting fields present in the payload, strictly typed (no coercion). */
function hostingFields(payload: Payload): z.infer<typeof presentHostingFieldsSchema> {
	const keys = HOSTING_KEYS.filter((key) => key in payload);
	if (keys.length === 0) return {};
	const parsed = presentHostingFieldsSchema.safeParse(Object.fromEntries(keys.map((key) => [key, payload[key]])));
	if (!parsed.success) throw new InvalidPayloadError({ reason: describeIssues(parsed.error) });
	return parsed.data;
}

/** Adds one item to the create list of the o2m field, whatever shape the caller used for it. */
function appendNestedCreate(payload: Payload, item: Payload): void {
	const current = payload['hosting_accounts'];
	if (Array.isArray(current)) payload['hosting_accounts'] = [...current, item];
	else if (current && typeof current === 'object' && 'create' in current) {
		const nested = current as { create?: unknown[] };
		payload['hosting_accounts'] = { ...nested, create: [...(nested.create ?? []), item] };
	} else payload['hosting_accounts'] = { create: [item], update: [], delete: [] };
}

const textOf = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

export async function prepareCustomerCreate(context: CustomerHostingContext, payload: Payload): Promise<Payload> {
	const fields = hostingFields(payload);
	const password = takePassword({ payload, provisioning: fields.provision_hosting === true });
	if (fields.provision_hosting !== true) return payload;
	await context.mayProvision(null);
	const inputs: AccountInputs = {
		server: fields.hosting_server ?? null,
		username: fields.hosting_username ?? null,
		password,
		package: fields.hosting_package ?? null,
	};
	const mapping = context.mapping();
	await context.check(inputs, { name: textOf(payload[mapping.nameField]), email: textOf(payload[mapping.emailField]) });
	appendNestedCreate(payload, { server: inputs.server, username: inputs.username, package: inputs.package, password });
	return payload;
}

/**
 * Turning the flag on for customers that have no hosting account yet provisions one each;
 * customers that already have one are left alone.
 */
export async function prepareCustomerUpdate(context: CustomerHostingContext, payload: Payload, keys: string[]): Promise<Payload> {
	const fields = hostingFields(payload);
	const password = takePassword({ payload, provisioning: fields.provision_hosting === true });
	if (fields.provision_hosting !== true || keys.length === 0) return payload;
	await context.mayProvision(keys);
	const { knex } = context;
	const mapping = context.mapping();
	const withAccount = new Set(
		(await knex('hosting_accounts').distinct('customer').whereIn('customer', keys).whereNot('status', 'terminated')).map((r) =>
			String(r.customer),
		),
	);
	const needing = keys.filter((key) => !withAccount.has(key));
	if (needing.length === 0) return payload;
	if (keys.length > 1) {
		if (needing.length < keys.length) {
			throw new StateConflictError({
				reason: `provision_hosting: ${keys.length - needing.length} of the ${keys.length} selected customers already have a hosting account; turn it on for the others only.`,
			});
		}
		if (password || fields.hosting_username) {
			throw new InvalidPayloadError({
				reason: `${CUSTOMER_FIELD_NAMES.username} / ${CUSTOMER_FIELD_NAMES.password}: several customers cannot share one; leave them empty to derive and generate one each`,
			});
		}
	}
	const stored = await knex(mapping.collection)
		.select(mapping.primary, mapping.nameField, mapping.emailField, 'hosting_server', 'hosting_username', 'hosting_package')
		.whereIn(mapping.primary, needing);
	// One customer takes its saved hosting inputs; several share what this save sets.
	const useSaved = keys.length === 1;
	let item: Payload | null = null;
	for (const row of stored) {
		const saved = (field: string) => (useSaved ? (row[field] ?? null) : null);
		const inputs: AccountInputs = {
			server: 'hosting_server' in fields ? (fields.hosting_server ?? null) : saved('hosting_server'),
			username: 'hosting_username' in fields ? (fields.hosting_username ?? null) : saved('hosting_username'),
			password,
			package:
				'hosting_package' in fields
					? (fields.hosting_package ?? null)
					: saved('hosting_package') === null
						? null
						: Number(saved('hosting_package')),
		};
		await context.check(inputs, {
			name: textOf(payload[mapping.nameField]) ?? textOf(row[mapping.nameField]),
			email: textOf(payload[mapping.emailField]) ?? textOf(row[mapping.emailField]),
		});
		item = { server: inputs.server, username: inputs.username, package: inputs.package, password };
	}
	// Directus applies an update's nested items to every key; all of them need one here.
	if (item) appendNestedCreate(payload, item);
	return payload;
}
