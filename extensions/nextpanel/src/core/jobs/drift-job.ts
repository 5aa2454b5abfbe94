// The `drift` job: every active server compared with Directus; the latest result is kept on the
// server, and new drift notifies administrators. Runs as the system.
import { ServerAdoptionService, previousDriftKeys } from '../hosting-accounts/server-adoption-service.ts';
import type { JobContext, JobReport } from '../jobs.ts';

export async function runDriftJob({ runtime, schema }: JobContext): Promise<JobReport> {
	const sudoAdoption = new ServerAdoptionService({ runtime, schema, accountability: null });
	const servers: { id: string; name: string; drift_report: unknown }[] = await runtime
		.database('nextpanel_servers')
		.select('id', 'name', 'drift_report')
		.where({ status: 'active' });
	let failed = 0;
	for (const server of servers) {
		const serverId = String(server.id);
		const report = await sudoAdoption.compareServer(serverId);
		if ('error' in report) failed++;
		await sudoAdoption.storeDrift(serverId, new Date().toISOString(), report);
		if ('rows' in report)
			await sudoAdoption.notifyNewDrift({
				serverId,
				serverName: server.name,
				before: previousDriftKeys(server.drift_report),
				rows: report.rows,
			});
	}
	return { job: 'drift', processed: servers.length, failed };
}
