// NextPanel servers saved through the item API or the app. The rules (allowed addresses, the
// encrypted secret, a new address only with the secret and the same accounts) are the service's.
import { defineHook } from '@directus/extensions-sdk';
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { NextPanelServersService } from '../../core/nextpanel-servers-service.ts';
import { useRuntime } from '../../core/runtime.ts';

interface EventContext {
	database: Knex;
	schema: SchemaOverview | null;
	accountability: Accountability | null;
}

export default defineHook(({ filter }, context) => {
	const runtime = useRuntime(context);
	const service = async (event: EventContext) =>
		new NextPanelServersService({
			runtime,
			schema: event.schema ?? (await context.getSchema()),
			accountability: event.accountability,
			knex: event.database,
		});

	filter('nextpanel_servers.items.create', async (payload, _meta, event) =>
		(await service(event as EventContext)).prepareSave(payload as Record<string, unknown>, { creating: true }),
	);
	filter('nextpanel_servers.items.update', async (payload, meta, event) =>
		(await service(event as EventContext)).prepareSave(payload as Record<string, unknown>, {
			creating: false,
			keys: (((meta as { keys?: (string | number)[] }).keys ?? []) as (string | number)[]).map(String),
		}),
	);
});
