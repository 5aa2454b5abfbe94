import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { upstreamError, StateConflictError } from '../../core/errors.ts';
import { requestProvisioning } from '../../core/provisioning/request-provisioning.ts';
import { useRuntime } from '../../core/runtime.ts';
import { USERNAME_MAX_LENGTH } from '../../shared/username.ts';
import { accountabilityFor, accountResult, idOption, optionalIdOption, parseOptions, permissionsOption } from '../shared-api.ts';

// No password option on purpose: flow options are stored in plain text. The password is
// generated and reaches the customer by the welcome mail.
const optionsSchema = z.object({
	customer: idOption('Customer'),
	server: optionalIdOption('Server'),
	username: z
		.string()
		.trim()
		.max(USERNAME_MAX_LENGTH)
		.optional()
		.transform((v) => v || null),
	permissions: permissionsOption,
	package: z.preprocess((v) => (v === '' || v === null || v === undefined ? null : Number(v)), z.number().int().min(0).nullable()),
});

export default defineOperationApi({
	id: 'nextpanel-provision',
	handler: async (options, context) => {
		const runtime = useRuntime(context);
		const input = parseOptions(optionsSchema, options, 'Provision hosting account');
		const schema = await context.getSchema();
		const { result, account } = await requestProvisioning(runtime, schema, accountabilityFor(input.permissions, context.accountability), {
			customer: input.customer,
			server: input.server ?? null,
			username: input.username,
			package: input.package,
		});
		switch (result.outcome) {
			case 'active':
				return { ...accountResult(result.account), adopted: result.adopted };
			case 'failed':
				if (result.failure) throw upstreamError(result.failure, account.id, result.reason);
				throw new StateConflictError({ reason: result.reason });
			case 'retry_scheduled':
				throw upstreamError(result.failure, account.id, result.reason);
			case 'not_claimed':
				return accountResult(account);
		}
	},
});
