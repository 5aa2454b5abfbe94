// What every NextPanel Flow operation does around the core call: read its options (template
// variables are already rendered by Directus), check the flow's accountability, and return plain
// JSON for the next operation - or throw, so the flow takes its reject path.
import type { Accountability, SchemaOverview } from '@directus/types';
import { z } from 'zod';
import { requireAccountAccess } from '../core/access.ts';
import { InvalidPayloadError } from '../core/errors.ts';
import type { AccountRow } from '../core/provisioning/account-store.ts';
import type { Runtime } from '../core/runtime.ts';
import { describeIssues } from '../shared/api-schemas.ts';

/** An id option: a plain string, or the `{key, collection}` object of a collection-item picker. */
export const idOption = (label: string) =>
	z.preprocess(
		(value) =>
			value && typeof value === 'object' && 'key' in value
				? (value as { key: unknown }).key
				: typeof value === 'string'
					? value.trim()
					: value,
		z.uuid({ error: `${label} must be the id (UUID) of an item, e.g. {{$trigger.key}}` }),
	);

export const optionalIdOption = (label: string) =>
	z.preprocess(
		(value) =>
			value === '' ||
			value === null ||
			value === undefined ||
			(typeof value === 'object' && value && 'key' in value && !(value as { key: unknown }).key)
				? undefined
				: value,
		idOption(label).optional(),
	);

export function parseOptions<T extends z.ZodType>(schema: T, options: unknown, operation: string): z.infer<T> {
	const result = schema.safeParse(options ?? {});
	if (!result.success) throw new InvalidPayloadError({ reason: `${operation}: ${describeIssues(result.error)}` });
	return result.data;
}

/** Account fields handed to the next operation; nothing secret is among them. */
export function accountResult(account: AccountRow): Record<string, unknown> {
	return {
		id: account.id,
		customer: account.customer,
		server: account.server,
		username: account.username,
		status: account.status,
		nextpanel_account_id: account.nextpanel_account_id,
		attempts: account.attempts,
	};
}

/**
 * The accounts an operation acts on: the one given, or every account of the given customer in
 * one of `statuses` (so "suspend this customer's hosting" needs no lookup step in the flow).
 */
export async function targetAccounts(
	runtime: Runtime,
	schema: SchemaOverview,
	accountability: Accountability | null,
	target: { account?: string | undefined; customer?: string | undefined },
	statuses: string[],
	doing: string,
): Promise<string[]> {
	if (!target.account && !target.customer) throw new InvalidPayloadError({ reason: 'Give either a hosting account id or a customer id.' });
	const ids = target.account
		? [target.account]
		: (await runtime.database('hosting_accounts').select('id').where({ customer: target.customer }).whereIn('status', statuses)).map((r) =>
				String(r.id),
			);
	for (const id of ids) await requireAccountAccess(runtime, schema, accountability, id, doing);
	return ids;
}

/** Runs `act` on each target in turn; one account gives its result, a customer gives a list. */
export async function actOnTargets(
	ids: string[],
	act: (id: string) => Promise<AccountRow>,
	single: boolean,
): Promise<Record<string, unknown> | undefined> {
	const accounts: Record<string, unknown>[] = [];
	for (const id of ids) accounts.push(accountResult(await act(id)));
	return single ? accounts[0] : { accounts, count: accounts.length };
}

/**
 * Directus's own operations take a `permissions` option: act as whoever triggered the flow
 * ($trigger, the default) or with full access ($full), still attributed to that person.
 */
export const permissionsOption = z.enum(['$trigger', '$full']).default('$trigger');

export const targetOptions = {
	account: optionalIdOption('Hosting account'),
	customer: optionalIdOption('Customer'),
	permissions: permissionsOption,
};

export function accountabilityFor(permissions: '$trigger' | '$full', accountability: Accountability | null): Accountability | null {
	if (permissions === '$trigger') return accountability;
	return accountability?.user ? { ...accountability, admin: true } : null;
}
