// Scheduled jobs: retry due provisioning (and recover crashed runs), sync usage, check servers.
// Directus synchronises each tick across instances; a job still running from the previous tick
// on this instance is not started twice.
import { defineHook } from '@directus/extensions-sdk';
import { checkAllServers, retryDueProvisioning, syncAllUsage, type JobReport } from '../../core/jobs.ts';
import { useRuntime, type Runtime } from '../../core/runtime.ts';

export default defineHook(({ schedule }, context) => {
	const runtime = useRuntime(context);
	if (!runtime.config.NEXTPANEL_SCHEDULE_ENABLED) {
		context.logger.info('nextpanel: scheduled jobs are off (NEXTPANEL_SCHEDULE_ENABLED=false)');
		return;
	}
	const running = new Set<string>();
	const every = (cron: string, name: string, job: (runtime: Runtime) => Promise<JobReport>) =>
		schedule(cron, async () => {
			if (running.has(name)) return;
			running.add(name);
			try {
				const report = await job(runtime);
				if (report.processed)
					context.logger.info(`nextpanel: ${report.job} job handled ${report.processed} item(s), ${report.failed} failed`);
			} finally {
				running.delete(name);
			}
		});
	every(runtime.config.NEXTPANEL_RETRY_SCHEDULE, 'retry', retryDueProvisioning);
	every(runtime.config.NEXTPANEL_USAGE_SCHEDULE, 'usage', syncAllUsage);
	every(runtime.config.NEXTPANEL_HEALTH_SCHEDULE, 'health', checkAllServers);
});
