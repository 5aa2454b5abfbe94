// Provisioning that nobody waits for: accounts created with a customer, through the item API, or
// found by the schedule. The outcome reaches the person who asked as a Directus notification.
import type { Runtime } from '../runtime.ts';
import { provisionAccount, type ProvisionResult } from './provision-account.ts';

const inFlight = new Map<string, Promise<ProvisionResult | null>>();

export function provisionInBackground(runtime: Runtime, id: string, notify: string | null): Promise<ProvisionResult | null> {
	const running = inFlight.get(id);
	if (running) return running;
	const run = provisionAccount(runtime, id, { causedBy: null })
		.then(async (result) => {
			if (notify) await notifyOutcome(runtime, notify, id, result);
			return result;
		})
		.catch((error: unknown) => {
			runtime.logger.error(
				`nextpanel: background provisioning of hosting account ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
			);
			return null;
		})
		.finally(() => inFlight.delete(id));
	inFlight.set(id, run);
	return run;
}

function describe(result: ProvisionResult): { subject: string; message: string } | null {
	const name = `"${result.account?.username ?? 'hosting account'}"`;
	switch (result.outcome) {
		case 'active':
			return {
				subject: `Hosting account ${name} is active`,
				message: `NextPanel account ${result.account.nextpanel_account_id}${result.adopted ? ' (found on the server after an interrupted create)' : ''} is ready.`,
			};
		case 'failed':
			return {
				subject: `Provisioning of ${name} failed`,
				message: `${result.reason}\n\nFix the cause, then use **Retry** on the hosting account.`,
			};
		case 'retry_scheduled':
			return { subject: `Provisioning of ${name} is waiting for NextPanel`, message: result.reason };
		case 'not_claimed':
			return null;
	}
}

async function notifyOutcome(runtime: Runtime, recipient: string, id: string, result: ProvisionResult): Promise<void> {
	const content = describe(result);
	if (!content) return;
	try {
		const schema = await runtime.getSchema();
		const notifications = new runtime.services.NotificationsService({ schema, knex: runtime.database });
		await notifications.createOne({
			recipient,
			subject: content.subject,
			message: content.message,
			collection: 'hosting_accounts',
			item: id,
		});
	} catch (error) {
		runtime.logger.warn(
			`nextpanel: could not notify user ${recipient} about hosting account ${id}: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
}
