// The scheduled work, one function per job. Several Directus instances may run the same tick:
// every account is claimed in the database before it is touched, so each is handled once.
import { provisionInBackground } from './provisioning/background.ts';
import { abandonedProvisioning, dueForProvisioning, readAccount } from './provisioning/account-store.ts';
import { syncUsage } from './provisioning/lifecycle.ts';
import { sendWelcomeMail, welcomeMailsToRetry } from './provisioning/welcome-mail.ts';
import { recordServerCheck } from './server-checks.ts';
import type { Runtime } from './runtime.ts';
import { mapLimited } from '../shared/map-limited.ts';

export interface JobReport {
	job: string;
	processed: number;
	failed: number;
}

/** Runs `work` over the items a few at a time and counts the ones that threw. */
async function countFailures<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<number> {
	const succeeded = await mapLimited(items, concurrency, (item) =>
		work(item).then(
			() => true,
			() => false,
		),
	);
	return succeeded.filter((ok) => !ok).length;
}

/** Pending accounts whose retry is due, and accounts a crashed run left in `provisioning`. */
export async function retryDueProvisioning(runtime: Runtime): Promise<JobReport> {
	const batch = runtime.config.NEXTPANEL_SCHEDULE_BATCH;
	const ids = [...new Set([...(await abandonedProvisioning(runtime, batch)), ...(await dueForProvisioning(runtime, batch))])];
	await countFailures(ids, 8, (id) => provisionInBackground(runtime, id, null));
	const mails = await welcomeMailsToRetry(runtime, batch);
	const failedMails = await countFailures(mails, 2, async (id) => {
		const account = await readAccount(runtime.database, id);
		if (account) await sendWelcomeMail(runtime, account);
	});
	return { job: 'retry', processed: ids.length + mails.length, failed: failedMails };
}

/** Usage of active and suspended accounts, least recently synced first. */
export async function syncAllUsage(runtime: Runtime): Promise<JobReport> {
	const rows = await runtime
		.database('hosting_accounts')
		.select('id')
		.whereIn('status', ['active', 'suspended'])
		.whereNotNull('nextpanel_account_id')
		.orderByRaw('usage_synced_at IS NOT NULL, usage_synced_at ASC')
		.limit(runtime.config.NEXTPANEL_SCHEDULE_BATCH * 4);
	const ids = rows.map((r) => String(r.id));
	const failed = await countFailures(ids, 4, (id) => syncUsage(runtime, id, null));
	return { job: 'usage', processed: ids.length, failed };
}

/** A connection test of every active server, recorded on the server. */
export async function checkAllServers(runtime: Runtime): Promise<JobReport> {
	const rows = await runtime.database('nextpanel_servers').select('id').where({ status: 'active' });
	const ids = rows.map((r) => String(r.id));
	const failed = await countFailures(ids, 4, (id) => recordServerCheck(runtime, id, null));
	return { job: 'health', processed: ids.length, failed };
}
