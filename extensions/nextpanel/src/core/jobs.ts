// The scheduled jobs, by name. A Map, so a name that comes from a request can only ever find one
// of these (never `constructor`, `toString` or anything else an object inherits). Each job runs
// as the system: its services are built without accountability. The jobs themselves are in jobs/.
import type { SchemaOverview } from '@directus/types';
import { runDriftJob } from './jobs/drift-job.ts';
import { runOverdueJob } from './jobs/overdue-job.ts';
import { runRetryJob } from './jobs/retry-job.ts';
import { runUsageJob } from './jobs/usage-job.ts';
import { NextPanelServersService } from './nextpanel-servers-service.ts';
import type { Runtime } from './runtime.ts';

export interface JobReport {
	job: string;
	processed: number;
	failed: number;
}

export interface JobContext {
	runtime: Runtime;
	schema: SchemaOverview;
}

type Job = (context: JobContext) => Promise<JobReport>;

export const JOBS: ReadonlyMap<string, Job> = new Map<string, Job>([
	['retry', runRetryJob],
	['usage', runUsageJob],
	['health', ({ runtime, schema }) => new NextPanelServersService({ runtime, schema, accountability: null }).checkAll()],
	['drift', runDriftJob],
	['overdue', runOverdueJob],
]);

/** When each job runs by itself; null switches one off. */
export function jobSchedules(runtime: Runtime): [string, string | null][] {
	const { config } = runtime;
	return [
		['retry', config.NEXTPANEL_RETRY_SCHEDULE],
		['usage', config.NEXTPANEL_USAGE_SCHEDULE],
		['health', config.NEXTPANEL_HEALTH_SCHEDULE],
		['drift', config.NEXTPANEL_DRIFT_SCHEDULE],
		['overdue', config.NEXTPANEL_OVERDUE_SCHEDULE],
	];
}
