// NextPanel servers saved through the item API or the app. The rules (allowed addresses, the
// encrypted secret, a new address only with the secret and the same accounts) are the service's.
import { defineHook } from '@directus/extensions-sdk';
import { NextPanelServersService } from '../../core/nextpanel-servers-service.ts';
import { useRuntime } from '../../core/runtime.ts';
import { keysOf, servicesForEvents } from '../event-services.ts';

type Payload = Record<string, unknown>;

export default defineHook(({ filter }, context) => {
	const runtime = useRuntime(context);
	const servers = servicesForEvents(NextPanelServersService, runtime, context);

	filter('nextpanel_servers.items.create', async (payload, _meta, event) =>
		(await servers(event)).prepareSave(payload as Payload, { creating: true }),
	);

	filter('nextpanel_servers.items.update', async (payload, meta, event) =>
		(await servers(event)).prepareSave(payload as Payload, { creating: false, keys: keysOf(meta) }),
	);
});
