// "Provision hosting" on the customer collection (NEXTPANEL_CUSTOMERS_COLLECTION): a customer
// saved with the flag gets a hosting account in the same save. The rules are the service's.
import { defineHook } from '@directus/extensions-sdk';
import { ProvisioningService } from '../../core/hosting-accounts/provisioning-service.ts';
import { refusedByName } from '../../core/lib/customer-collection.ts';
import { useRuntime } from '../../core/runtime.ts';
import { keysOf, servicesForEvents } from '../event-services.ts';

type Payload = Record<string, unknown>;

export default defineHook(({ filter }, context) => {
	const runtime = useRuntime(context);
	const collection = runtime.config.NEXTPANEL_CUSTOMERS_COLLECTION;
	const provisioning = servicesForEvents(ProvisioningService, runtime, context);
	// A refused customer collection (a system collection, say) gets no hooks at all.
	if (refusedByName(runtime.config)) return;

	filter(`${collection}.items.create`, async (payload, _meta, event) =>
		(await provisioning(event)).prepareCustomerCreate(payload as Payload),
	);

	filter(`${collection}.items.update`, async (payload, meta, event) =>
		(await provisioning(event)).prepareCustomerUpdate(payload as Payload, keysOf(meta)),
	);
});
