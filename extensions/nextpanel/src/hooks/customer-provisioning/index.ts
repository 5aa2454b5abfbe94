// "Provision hosting" on the customer collection (NEXTPANEL_CUSTOMERS_COLLECTION): a customer
// saved with the flag gets a hosting account in the same save. The rules are the service's.
import { defineHook } from '@directus/extensions-sdk';
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { HostingAccountsService } from '../../core/hosting-accounts-service.ts';
import { useRuntime } from '../../core/runtime.ts';

interface EventContext {
	database: Knex;
	schema: SchemaOverview | null;
	accountability: Accountability | null;
}

export default defineHook(({ filter }, context) => {
	const runtime = useRuntime(context);
	const collection = runtime.config.NEXTPANEL_CUSTOMERS_COLLECTION;
	const service = async (event: EventContext) =>
		new HostingAccountsService({
			runtime,
			schema: event.schema ?? (await context.getSchema()),
			accountability: event.accountability,
			knex: event.database,
		});

	filter(`${collection}.items.create`, async (payload, _meta, event) =>
		(await service(event as EventContext)).prepareCustomerCreate(payload as Record<string, unknown>),
	);

	filter(`${collection}.items.update`, async (payload, meta, event) =>
		(await service(event as EventContext)).prepareCustomerUpdate(
			payload as Record<string, unknown>,
			(((meta as { keys?: (string | number)[] }).keys ?? []) as (string | number)[]).map(String),
		),
	);
});
