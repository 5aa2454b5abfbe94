// Service terms as the item API and the app edit them: the overdue policy is checked before it is
// saved, and a payment (paid_until moved on) brings an overdue-suspended account back, after the
// save is committed. The rules are in core/overdue/.
import { defineHook } from '@directus/extensions-sdk';
import { checkPolicyWrite } from '../../core/overdue/policy-validation.ts';
import { liftPaidSuspensions } from '../../core/overdue/term-payments.ts';
import { useRuntime } from '../../core/runtime.ts';
import { keysOf } from '../event-services.ts';

type Payload = Record<string, unknown>;

export default defineHook(({ filter, action }, context) => {
	const runtime = useRuntime(context);

	for (const event of ['nextpanel_settings.items.create', 'nextpanel_settings.items.update']) {
		filter(event, async (payload, _meta, { database }) => {
			await checkPolicyWrite(database, payload as Payload);
			return payload;
		});
	}

	action('hosting_accounts.items.update', async (meta) => {
		const { payload } = meta as { payload: Payload };
		if (!payload || !('paid_until' in payload)) return;
		void liftPaidSuspensions(runtime, { schema: await context.getSchema(), keys: keysOf(meta) });
	});
});
