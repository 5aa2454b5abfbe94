import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { suspendAccount } from '../../core/provisioning/lifecycle.ts';
import { useRuntime } from '../../core/runtime.ts';
import { actOnTargets, parseOptions, targetAccounts, targetOptions } from '../shared-api.ts';

const optionsSchema = z.object({ ...targetOptions, reason: z.string().trim().max(255).optional() });

export default defineOperationApi({
	id: 'nextpanel-suspend',
	handler: async (options, context) => {
		const runtime = useRuntime(context);
		const input = parseOptions(optionsSchema, options, 'Suspend hosting');
		const ids = await targetAccounts(runtime, await context.getSchema(), context.accountability, input, ['active'], 'suspend');
		return actOnTargets(ids, (id) => suspendAccount(runtime, id, input.reason || null, context.accountability), Boolean(input.account));
	},
});
