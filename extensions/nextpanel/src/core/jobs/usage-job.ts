// The `usage` job: disk and bandwidth figures of live accounts, read from NextPanel and stored
// only after the identity check (core/lib/account-actions.ts). Runs as the system.
import { mapLimited } from '../../shared/map-limited.ts';
import { syncAccountUsage } from '../lib/account-actions.ts';
import { NextPanelServersService } from '../nextpanel-servers-service.ts';
import type { JobContext, JobReport } from '../jobs.ts';

export async function runUsageJob({ runtime, schema }: JobContext): Promise<JobReport> {
	const knex = runtime.database;
	const actions = {
		runtime,
		schema,
		knex,
		servers: new NextPanelServersService({ runtime, schema, accountability: null }),
		causedBy: null,
	};
	// Every live account on each run, a page at a time in key order: memory stays flat on large fleets.
	const pageSize = runtime.config.NEXTPANEL_SCHEDULE_BATCH * 4;
	let after: string | number | null = null;
	let processed = 0;
	let failed = 0;
	for (;;) {
		const query = knex('hosting_accounts')
			.select('id')
			.whereIn('status', ['active', 'suspended'])
			.whereNotNull('nextpanel_account_id')
			.orderBy('id')
			.limit(pageSize);
		if (after !== null) query.where('id', '>', after);
		const rows: { id: string | number }[] = await query;
		if (rows.length === 0) break;
		after = rows[rows.length - 1]!.id;
		const results = await mapLimited(rows, 4, ({ id }) =>
			syncAccountUsage(actions, String(id)).then(
				() => true,
				(error: unknown) => {
					runtime.logger.warn(
						`nextpanel: usage sync of hosting account ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
					);
					return false;
				},
			),
		);
		processed += rows.length;
		failed += results.filter((ok) => !ok).length;
		if (rows.length < pageSize) break;
	}
	return { job: 'usage', processed, failed };
}
