import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { unsuspendAccount } from '../../core/provisioning/lifecycle.ts';
import { useRuntime } from '../../core/runtime.ts';
import { accountabilityFor, actOnTargets, parseOptions, targetAccounts, targetOptions } from '../shared-api.ts';

const optionsSchema = z.object(targetOptions);

export default defineOperationApi({
	id: 'nextpanel-unsuspend',
	handler: async (options, context) => {
		const runtime = useRuntime(context);
		const input = parseOptions(optionsSchema, options, 'Unsuspend hosting');
		const accountability = accountabilityFor(input.permissions, context.accountability);
		const ids = await targetAccounts(runtime, await context.getSchema(), accountability, input, ['suspended'], 'unsuspend');
		return actOnTargets(ids, (id) => unsuspendAccount(runtime, id, accountability), Boolean(input.account));
	},
});
