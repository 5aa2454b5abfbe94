// The scheduled jobs, by name. A Map, so a name that comes from a request can only ever find one
// of these (never `constructor`, `toString` or anything else an object inherits). Each job runs
// as the system: the services are built without accountability.
import type { SchemaOverview } from '@directus/types';
import { HostingAccountsService, type JobReport } from './hosting-accounts-service.ts';
import { NextPanelServersService } from './nextpanel-servers-service.ts';
import type { Runtime } from './runtime.ts';

export type { JobReport };

type Job = (runtime: Runtime, schema: SchemaOverview) => Promise<JobReport>;

export const JOBS: ReadonlyMap<string, Job> = new Map<string, Job>([
	['retry', (runtime, schema) => new HostingAccountsService({ runtime, schema, accountability: null }).provisionDue()],
	['usage', (runtime, schema) => new HostingAccountsService({ runtime, schema, accountability: null }).syncDueUsage()],
	['health', (runtime, schema) => new NextPanelServersService({ runtime, schema, accountability: null }).checkAll()],
	['drift', (runtime, schema) => new HostingAccountsService({ runtime, schema, accountability: null }).checkDriftAll()],
]);

/** When each job runs by itself; null switches one off. */
export function jobSchedules(runtime: Runtime): [string, string | null][] {
	const { config } = runtime;
	return [
		['retry', config.NEXTPANEL_RETRY_SCHEDULE],
		['usage', config.NEXTPANEL_USAGE_SCHEDULE],
		['health', config.NEXTPANEL_HEALTH_SCHEDULE],
		['drift', config.NEXTPANEL_DRIFT_SCHEDULE],
	];
}
