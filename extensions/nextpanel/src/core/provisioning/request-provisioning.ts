// "Provision a hosting account for this customer now", as the endpoint and the Flow operation
// ask it. The hosting account row is created with the caller's own rights, so Directus decides
// who may provision; the NextPanel work then runs in the shared provisioning core.
import type { Accountability, SchemaOverview } from '@directus/types';
import { isDirectusError } from '@directus/errors';
import { readAsCaller } from '../access.ts';
import { ForbiddenError, StateConflictError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { asCallerProvisioning } from '../scopes.ts';
import { readAccount, type AccountRow } from './account-store.ts';
import { provisionAccount, type ProvisionResult } from './provision-account.ts';
import { checkInputs, ENDPOINT_FIELDS, type ProvisioningInputs } from './provisioning-inputs.ts';

export interface ProvisionRequest extends ProvisioningInputs {
	customer: string;
}

export interface ProvisionResponse {
	account: AccountRow;
	result: ProvisionResult;
	/** Only when the password was generated here: the caller's one chance to see it. */
	generatedPassword: string | null;
}

export async function requestProvisioning(
	runtime: Runtime,
	schema: SchemaOverview,
	accountability: Accountability | null,
	request: ProvisionRequest,
): Promise<ProvisionResponse> {
	const customer = await readAsCaller(runtime, schema, accountability, 'customers', request.customer, ['id', 'full_name', 'email']);
	const inputs = await checkInputs(runtime, runtime.database, request, customer as { full_name: string; email: string }, ENDPOINT_FIELDS);

	const accounts = new runtime.services.ItemsService('hosting_accounts', { schema, accountability, knex: runtime.database });
	let id: string;
	try {
		// The caller's own create: Directus checks their permission on hosting_accounts here.
		id = String(
			await asCallerProvisioning(inputs.username, () =>
				accounts.createOne({ customer: request.customer, server: inputs.server, username: inputs.username, package: inputs.package }),
			),
		);
	} catch (error) {
		if (isDirectusError(error, 'RECORD_NOT_UNIQUE'))
			throw new StateConflictError({ reason: `A hosting account with username "${inputs.username}" already exists.` });
		if (isDirectusError(error, 'FORBIDDEN')) throw new ForbiddenError({ reason: 'You are not allowed to create hosting accounts.' });
		throw error;
	}
	const result = await provisionAccount(runtime, id, { causedBy: accountability, password: inputs.password, schema });
	const account = result.account ?? (await readAccount(runtime.database, id))!;
	return { account, result, generatedPassword: inputs.passwordGenerated ? inputs.password : null };
}
