// The `usage` job: disk and bandwidth figures of live accounts, read from NextPanel and stored
// only after the identity check (core/lib/account-actions.ts). Runs as the system.
//
// A server is not asked for every account on every run: each run reads a server's due share
// (core/lib/usage-due.ts: oldest figures first, spread over NEXTPANEL_USAGE_MAX_AGE), at most
// NEXTPANEL_USAGE_RATE_PER_SECOND calls a second, and stops calling a server for the rest of the
// run once it answers 429. An on-demand sync (REST, Flow) does not wait for this queue.
import { mapLimited } from '../../shared/map-limited.ts';
import { syncAccountUsage } from '../lib/account-actions.ts';
import { dueUsageAccounts, liveAccountCounts, planUsageBatch, schedulePeriodMs } from '../lib/usage-due.ts';
import { NextPanelServersService } from '../nextpanel-servers-service.ts';
import type { JobContext, JobReport } from '../jobs.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isRateLimited(error: unknown): boolean {
	const extensions = (error as { extensions?: { nextpanel_code?: unknown } } | null)?.extensions;
	return extensions?.nextpanel_code === 'rate_limited';
}

export async function runUsageJob({ runtime, schema }: JobContext): Promise<JobReport> {
	const knex = runtime.database;
	const { config } = runtime;
	const actions = {
		runtime,
		schema,
		knex,
		servers: new NextPanelServersService({ runtime, schema, accountability: null }),
		causedBy: null,
	};
	const periodMs = schedulePeriodMs(config.NEXTPANEL_USAGE_SCHEDULE ?? '0 */15 * * * *');
	const spacingMs = 1000 / config.NEXTPANEL_USAGE_RATE_PER_SECOND;
	const counts = [...(await liveAccountCounts(knex)).entries()];
	const nowMs = Date.now();

	const perServer = await mapLimited(counts, 4, async ([serverId, liveCount]) => {
		const plan = planUsageBatch({
			liveCount,
			periodMs,
			maxAgeMs: config.NEXTPANEL_USAGE_MAX_AGE,
			ratePerSecond: config.NEXTPANEL_USAGE_RATE_PER_SECOND,
		});
		const ids = await dueUsageAccounts(knex, { serverId, nowMs, dueAfterMs: plan.dueAfterMs, limit: plan.limit });
		let processed = 0;
		let failed = 0;
		for (const id of ids) {
			const started = Date.now();
			processed++;
			try {
				await syncAccountUsage(actions, id);
			} catch (error) {
				failed++;
				runtime.logger.warn(
					`nextpanel: usage sync of hosting account ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
				);
				if (isRateLimited(error)) break;
			}
			await sleep(Math.max(0, started + spacingMs - Date.now()));
		}
		return { processed, failed };
	});
	return {
		job: 'usage',
		processed: perServer.reduce((sum, run) => sum + run.processed, 0),
		failed: perServer.reduce((sum, run) => sum + run.failed, 0),
	};
}
