// The `retry` job: pending accounts whose retry is due, accounts a crashed run left behind, and
// welcome mails still to send. Runs as the system.
import { mapLimited } from '../../shared/map-limited.ts';
import { ProvisioningService } from '../hosting-accounts/provisioning-service.ts';
import { readAccountRow } from '../lib/account-rows.ts';
import { abandonedProvisioning, dueForProvisioning } from '../lib/claims.ts';
import { sendWelcomeMail, welcomeMailsToRetry } from '../lib/welcome-mail.ts';
import type { JobContext, JobReport } from '../jobs.ts';

export async function runRetryJob({ runtime, schema }: JobContext): Promise<JobReport> {
	const knex = runtime.database;
	const core = { runtime, schema, knex };
	const sudoProvisioning = new ProvisioningService({ runtime, schema, accountability: null });
	const batch = runtime.config.NEXTPANEL_SCHEDULE_BATCH;
	const ids = [...new Set([...(await abandonedProvisioning(knex, batch)), ...(await dueForProvisioning(knex, batch))])];
	// A run that throws has already logged why and left the account for the next tick; here it only counts.
	const outcomes = await mapLimited(ids, 8, (id) => sudoProvisioning.provisionStored(id).catch(() => null));
	const mails = await welcomeMailsToRetry(core, batch);
	const sent = await mapLimited(mails, 2, async (id) => {
		const account = await readAccountRow(knex, id);
		return account ? sendWelcomeMail(core, account) : 'failed';
	});
	return {
		job: 'retry',
		processed: ids.length + mails.length,
		failed: outcomes.filter((o) => o === null || o.outcome === 'failed').length + sent.filter((s) => s === 'failed').length,
	};
}
