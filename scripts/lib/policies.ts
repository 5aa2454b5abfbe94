// Ready-made access for people who run provisioning without being Directus admins. Start-up
// creates the policy once so an admin only has to assign it; the tests use the same definition.
import type { RestClient } from '@directus/sdk';
import { createPolicy, readPolicies } from '@directus/sdk';

export const OPERATOR_POLICY_NAME = 'NextPanel operator';

const ALL = ['*'];

/**
 * Customers and hosting accounts with provisioning; servers and call logs readable. Whole
 * collections only: field-level rules are a licensed feature of Directus 12, and the bundle's
 * hooks already keep state fields and secrets out of reach.
 */
export const OPERATOR_PERMISSIONS = [
	{ collection: 'customers', action: 'create', fields: ALL },
	{ collection: 'customers', action: 'read', fields: ALL },
	{ collection: 'customers', action: 'update', fields: ALL },
	{ collection: 'hosting_accounts', action: 'create', fields: ALL },
	{ collection: 'hosting_accounts', action: 'read', fields: ALL },
	{ collection: 'hosting_accounts', action: 'update', fields: ALL },
	{ collection: 'nextpanel_servers', action: 'read', fields: ALL },
	{ collection: 'nextpanel_logs', action: 'read', fields: ALL },
] as const;

export async function ensureOperatorPolicy(client: RestClient<object>): Promise<string> {
	const [existing] = await client.request(readPolicies({ filter: { name: { _eq: OPERATOR_POLICY_NAME } }, fields: ['id'], limit: 1 }));
	if (existing?.id) return existing.id;
	const policy = await client.request(
		createPolicy({
			name: OPERATOR_POLICY_NAME,
			icon: 'dns',
			description: 'Provision, suspend and terminate NextPanel hosting accounts; read servers and call logs',
			admin_access: false,
			app_access: true,
			permissions: OPERATOR_PERMISSIONS.map((p) => ({ ...p, fields: [...p.fields], permissions: {}, validation: {} })),
		} as never),
	);
	return (policy as { id: string }).id;
}
