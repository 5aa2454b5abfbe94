import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { provisioningError } from '../../core/hosting-accounts/provisioning-result.ts';
import { accountInputValues, customerIdSchema } from '../../shared/api-schemas.ts';
import { operationServices, optionalIdOption, parseOptions, permissionsOption } from '../shared-api.ts';

// No password option on purpose: flow options are stored in plain text. The password is
// generated, and reaches the customer by the welcome mail or one reveal.
const optionsSchema = z.object({
	customer: z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), customerIdSchema),
	server: optionalIdOption('Server'),
	username: accountInputValues.username,
	// The Flow editor's integer field sends a number, or an empty string when left blank.
	package: z.preprocess((value) => (value === '' ? null : value), accountInputValues.package),
	permissions: permissionsOption,
});

export default defineOperationApi({
	id: 'nextpanel-provision',
	handler: async (options, context) => {
		const input = parseOptions(optionsSchema, options, 'Provision hosting account');
		const { provisioning, accounts } = await operationServices(context, input.permissions);
		const provisioned = await provisioning.provision({
			customer: input.customer,
			server: input.server ?? null,
			username: input.username,
			password: null,
			package: input.package,
		});
		const error = provisioningError(provisioned.result, provisioned.id);
		if (error) throw error;
		return {
			...(await accounts.readVisible(provisioned.id)),
			adopted: provisioned.result.outcome === 'active' && provisioned.result.adopted,
		};
	},
});
