// A customer's "provision hosting" flag asks for a hosting account, and the hook acts when it is
// turned on. Once the customer's last live account is terminated the request has been served: a
// box left ticked would promise a provisioning that saving no longer does, so it is turned off
// (ticking it again provisions a new account). It is the plugin's own field on the customer.
import { sudo } from '../access.ts';
import type { ActionContext } from './account-actions.ts';
import { customerMapping } from './customers.ts';

export async function clearServedProvisionFlag(context: ActionContext, customer: string | null): Promise<void> {
	if (!customer || customer === 'null') return;
	const { runtime, schema, knex } = context;
	const mapping = customerMapping(runtime.config, schema);
	if ('problem' in mapping || !schema.collections[mapping.collection]?.fields['provision_hosting']) return;
	const live = await knex('hosting_accounts').select('id').where({ customer }).whereNot('status', 'terminated').first();
	if (live) return;
	const ticked = await knex(mapping.collection)
		.select(mapping.primary)
		.where(mapping.primary, customer)
		.where('provision_hosting', true)
		.first();
	if (!ticked) return;
	// As the person who terminated (activity names them), without the customer hooks: this is no edit of theirs to check.
	const customers = new runtime.services.ItemsService(mapping.collection, { schema, knex, accountability: sudo(context.causedBy) });
	await customers.updateOne(customer, { provision_hosting: false }, { emitEvents: false });
}
