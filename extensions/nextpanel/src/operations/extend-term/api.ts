// "Extend hosting term": a Flow on the host's own payments or invoices extends paid_until, and so
// brings an overdue-suspended account back.
import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { InvalidPayloadError } from '../../core/errors.ts';
import { extendTerms } from '../../core/overdue/term-extension.ts';
import { termExtensionSchema } from '../../shared/term-extension.ts';
import { operationServices, optionalIdOption, parseOptions, permissionsOption } from '../shared-api.ts';

const optionsSchema = z
	.object({
		account: optionalIdOption('Hosting account'),
		customer: optionalIdOption('Customer', false),
		permissions: permissionsOption,
	})
	.and(termExtensionSchema);

export default defineOperationApi({
	id: 'nextpanel-extend-term',
	handler: async (options, context) => {
		const input = parseOptions(optionsSchema, options, 'Extend hosting term');
		const services = await operationServices(context, input.permissions);
		let ids: string[];
		if (input.account) ids = [input.account];
		else if (input.customer !== undefined) {
			const items = new services.runtime.services.ItemsService('hosting_accounts', {
				schema: services.schema,
				accountability: services.accountability,
				knex: services.runtime.database,
			});
			const rows = (await items.readByQuery({
				filter: { customer: { _eq: input.customer }, status: { _nin: ['terminated'] } },
				fields: ['id'],
				limit: -1,
			})) as { id: string }[];
			ids = rows.map((row) => String(row.id));
		} else throw new InvalidPayloadError({ reason: 'Extend hosting term: give either a hosting account id or a customer id.' });
		const extended = await extendTerms(
			{ runtime: services.runtime, schema: services.schema, accountability: services.accountability, knex: services.runtime.database },
			{ ids, extension: input },
		);
		const results = [];
		for (const { id } of extended) results.push(await services.accounts.readVisible(id));
		return input.account ? results[0] : { accounts: results, count: results.length };
	},
});
