// Scheduled jobs: retry due provisioning (and recover crashed runs), sync usage, check servers.
// Directus synchronises each tick across instances; a job still running from the previous tick
// on this instance is not started twice, and nothing runs while the plugin is not set up.
import { defineHook } from '@directus/extensions-sdk';
import { JOBS, jobSchedules } from '../../core/jobs.ts';
import { setupProblems } from '../../core/lib/readiness.ts';
import { useRuntime } from '../../core/runtime.ts';

export default defineHook(({ schedule }, context) => {
	const runtime = useRuntime(context);
	if (!runtime.config.NEXTPANEL_SCHEDULE_ENABLED) {
		context.logger.info('nextpanel: scheduled jobs are off (NEXTPANEL_SCHEDULE_ENABLED=false)');
		return;
	}
	const running = new Set<string>();
	for (const [name, cron] of jobSchedules(runtime)) {
		const job = JOBS.get(name);
		if (!cron || !job) continue;
		schedule(cron, async () => {
			if (running.has(name)) return;
			const schema = await context.getSchema();
			if (setupProblems(runtime, schema).length) return;
			running.add(name);
			try {
				const report = await job({ runtime, schema });
				if (report.processed)
					context.logger.info(`nextpanel: ${report.job} job handled ${report.processed} item(s), ${report.failed} failed`);
			} catch (error) {
				context.logger.error(`nextpanel: the ${name} job failed: ${error instanceof Error ? error.message : String(error)}`);
			} finally {
				running.delete(name);
			}
		});
	}
});
