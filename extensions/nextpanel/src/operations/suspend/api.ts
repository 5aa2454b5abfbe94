import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { suspendAccount } from '../../core/provisioning/lifecycle.ts';
import { useRuntime } from '../../core/runtime.ts';
import { accountabilityFor, actOnTargets, parseOptions, targetAccounts, targetOptions } from '../shared-api.ts';

const optionsSchema = z.object({ ...targetOptions, reason: z.string().trim().max(255).optional() });

export default defineOperationApi({
	id: 'nextpanel-suspend',
	handler: async (options, context) => {
		const runtime = useRuntime(context);
		const input = parseOptions(optionsSchema, options, 'Suspend hosting');
		const accountability = accountabilityFor(input.permissions, context.accountability);
		const ids = await targetAccounts(runtime, await context.getSchema(), accountability, input, ['active'], 'suspend');
		return actOnTargets(ids, (id) => suspendAccount(runtime, id, input.reason || null, accountability), Boolean(input.account));
	},
});
