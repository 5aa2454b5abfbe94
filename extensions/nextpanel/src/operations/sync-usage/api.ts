import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { syncUsage } from '../../core/provisioning/lifecycle.ts';
import { useRuntime } from '../../core/runtime.ts';
import { accountabilityFor, actOnTargets, parseOptions, targetAccounts, targetOptions } from '../shared-api.ts';

const optionsSchema = z.object(targetOptions);

export default defineOperationApi({
	id: 'nextpanel-sync-usage',
	handler: async (options, context) => {
		const runtime = useRuntime(context);
		const input = parseOptions(optionsSchema, options, 'Sync hosting usage');
		const accountability = accountabilityFor(input.permissions, context.accountability);
		const ids = await targetAccounts(runtime, await context.getSchema(), accountability, input, ['active', 'suspended'], 'sync usage of');
		return actOnTargets(ids, (id) => syncUsage(runtime, id, accountability), Boolean(input.account));
	},
});
