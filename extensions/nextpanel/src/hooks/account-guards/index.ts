// Hosting accounts, customers and servers as Directus's item API and app forms edit them. Every
// rule lives in the hosting-account services (core/hosting-accounts/); these hooks only hand them the events:
// - a new hosting account is checked and completed before it is written, and provisioned in the
//   background once it is committed (directly, or nested in a customer save);
// - state fields are the service's, a provisioned account keeps its name, server, customer and package,
//   and nothing that may still exist on NextPanel can be deleted;
// - internal bookkeeping (leases, sealed passwords) is never returned by a read;
// - absurdly nested bodies for these collections are a 400, not a stack overflow in Directus.
import { defineHook } from '@directus/extensions-sdk';
import type { Express } from 'express';
import { ACCOUNT_INTERNAL_FIELDS } from '../../shared/account-fields.ts';
import { AccountItemGuards } from '../../core/hosting-accounts/account-item-guards.ts';
import { ProvisioningService } from '../../core/hosting-accounts/provisioning-service.ts';
import { nestingGuard } from '../../core/lib/nesting-guard.ts';
import { refusedByName } from '../../core/lib/customer-collection.ts';
import { useRuntime } from '../../core/runtime.ts';
import { keysOf, personOf, servicesForEvents } from '../event-services.ts';

type Payload = Record<string, unknown>;

export default defineHook(({ filter, action, init }, context) => {
	const runtime = useRuntime(context);
	const guards = servicesForEvents(AccountItemGuards, runtime, context);
	const provisioning = servicesForEvents(ProvisioningService, runtime, context);

	init('routes.before', ({ app }) => {
		const customers = refusedByName(runtime.config) ? [] : [runtime.config.NEXTPANEL_CUSTOMERS_COLLECTION];
		const collections = ['hosting_accounts', 'nextpanel_servers', 'nextpanel_logs', ...customers];
		(app as Express).use(nestingGuard(collections));
	});

	filter('hosting_accounts.items.create', async (payload, _meta, event) =>
		(await provisioning(event)).prepareItemCreate(payload as Payload),
	);

	filter('hosting_accounts.items.update', async (payload, meta, event) => {
		await (await guards(event)).checkItemUpdate(payload as Payload, keysOf(meta));
		return payload;
	});

	filter('hosting_accounts.items.delete', async (keys, _meta, event) => {
		await (await guards(event)).checkItemDelete(keysOf(keys));
		return keys;
	});

	filter('hosting_accounts.items.read', (records) => {
		for (const record of records as Payload[]) for (const field of ACCOUNT_INTERNAL_FIELDS) delete record[field];
		return records;
	});

	action('hosting_accounts.items.create', async (meta, event) => {
		const { key } = meta as { key: string | number };
		// The person asked for it; the run itself is the system's, outside the committed save.
		const sudoProvisioning = await provisioning(event, { accountability: null, knex: runtime.database });
		void sudoProvisioning.startProvisioning(String(key), personOf(event));
	});

	if (!refusedByName(runtime.config)) {
		filter(`${runtime.config.NEXTPANEL_CUSTOMERS_COLLECTION}.items.delete`, async (keys, _meta, event) => {
			await (await guards(event)).checkOwnerDelete('customer', keysOf(keys));
			return keys;
		});
	}

	filter('nextpanel_servers.items.delete', async (keys, _meta, event) => {
		await (await guards(event)).checkOwnerDelete('server', keysOf(keys));
		return keys;
	});
});
