// The "NextPanel operator" policy the bundle creates when it installs; tests and tools look it up by name.
import type { RestClient } from '@directus/sdk';
import { readPolicies } from '@directus/sdk';

export const OPERATOR_POLICY_NAME = 'NextPanel operator';

export async function operatorPolicyId(client: RestClient<object>): Promise<string> {
	const [policy] = await client.request(readPolicies({ filter: { name: { _eq: OPERATOR_POLICY_NAME } }, fields: ['id'], limit: 1 }));
	if (!policy?.id) throw new Error(`The bundle did not create the "${OPERATOR_POLICY_NAME}" policy; see the Directus log`);
	return policy.id;
}
