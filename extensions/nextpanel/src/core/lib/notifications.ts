// The outcome of provisioning nobody waited for (a customer saved with the flag, an account
// created through the item API), as a Directus notification to the person who asked, with a
// link to the account.
import type { CoreContext } from './account-state.ts';

export interface Notice {
	subject: string;
	message: string;
}

export async function notify(
	context: CoreContext,
	recipient: string,
	item: { collection: string; id: string },
	notice: Notice,
): Promise<void> {
	const { runtime, schema, knex } = context;
	const notifications = new runtime.services.NotificationsService({ schema, knex });
	try {
		await notifications.createOne({
			recipient,
			subject: notice.subject,
			message: notice.message,
			collection: item.collection,
			item: item.id,
		});
	} catch (error) {
		// A notification that cannot be written (a user deleted meanwhile, mail down) must not fail provisioning.
		runtime.logger.warn(
			`nextpanel: could not notify user ${recipient} about ${item.collection} ${item.id}: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
}

/** Users with administrator access, directly or through their role. */
export async function administrators(knex: CoreContext['knex']): Promise<string[]> {
	const direct = knex('directus_access')
		.join('directus_policies', 'directus_policies.id', 'directus_access.policy')
		.where('directus_policies.admin_access', true);
	const users: { id: string }[] = await knex('directus_users')
		.select('directus_users.id')
		.where('directus_users.status', 'active')
		.where((q) =>
			q
				.whereIn('directus_users.id', direct.clone().whereNotNull('directus_access.user').select('directus_access.user'))
				.orWhereIn('directus_users.role', direct.clone().whereNotNull('directus_access.role').select('directus_access.role')),
		);
	return users.map((user) => String(user.id));
}
