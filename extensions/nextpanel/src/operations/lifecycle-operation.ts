// The account operations (suspend, unsuspend, terminate, sync usage) differ only in the action
// they take; this builds each of them. Given a customer instead of an account, an operation acts
// on each of the customer's accounts the state table allows the action on.
import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { ALLOWED_FROM, type AccountAction } from '../shared/account-states.ts';
import { InvalidPayloadError } from '../core/errors.ts';
import type { HostingAccountsService } from '../core/hosting-accounts/hosting-accounts-service.ts';
import { operationServices, optionalIdOption, parseOptions, permissionsOption, type OperationServices } from './shared-api.ts';

const optionsSchema = z.object({
	account: optionalIdOption('Hosting account'),
	customer: optionalIdOption('Customer', false),
	permissions: permissionsOption,
	reason: z.string().trim().max(255).optional(),
});

export type LifecycleOptions = z.infer<typeof optionsSchema>;

export interface LifecycleOperation {
	id: string;
	/** As a person would name it, for error messages: "Suspend hosting". */
	title: string;
	action: Extract<AccountAction, 'suspend' | 'unsuspend' | 'terminate' | 'sync'>;
	act: (accounts: HostingAccountsService, id: string, options: LifecycleOptions) => Promise<void>;
}

/** The accounts to act on: the one given, or the customer's accounts the action may apply to (read as the flow's caller). */
async function targets(services: OperationServices, input: LifecycleOptions, action: AccountAction): Promise<string[]> {
	if (input.account) return [input.account];
	if (input.customer === undefined) throw new InvalidPayloadError({ reason: 'Give either a hosting account id or a customer id.' });
	const accounts = new services.runtime.services.ItemsService('hosting_accounts', {
		schema: services.schema,
		accountability: services.accountability,
		knex: services.runtime.database,
	});
	const rows = (await accounts.readByQuery({
		filter: { customer: { _eq: input.customer }, status: { _in: [...ALLOWED_FROM[action]] } },
		fields: ['id'],
		limit: -1,
	})) as { id: string }[];
	return rows.map((row) => String(row.id));
}

export function defineLifecycleOperation(operation: LifecycleOperation) {
	return defineOperationApi({
		id: operation.id,
		handler: async (options, context) => {
			const input = parseOptions(optionsSchema, options, operation.title);
			const services = await operationServices(context, input.permissions);
			const ids = await targets(services, input, operation.action);
			const results: Record<string, unknown>[] = [];
			for (const id of ids) {
				await operation.act(services.accounts, id, input);
				results.push(await services.accounts.readVisible(id));
			}
			return input.account ? results[0] : { accounts: results, count: results.length };
		},
	});
}
