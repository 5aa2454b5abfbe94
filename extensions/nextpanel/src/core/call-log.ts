// One nextpanel_logs row per NextPanel call. Written without accountability (the collection has
// no activity tracking) and without purging Directus's cache: a log row changes no other item.
import type { CallRecorder } from './nextpanel/client.ts';
import type { Runtime } from './runtime.ts';

export interface CallScope {
	server: string | null;
	hostingAccount: string | null;
	user: string | null;
}

export function callRecorder(runtime: Runtime, scope: CallScope): CallRecorder {
	return async (record) => {
		try {
			const schema = await runtime.getSchema();
			const logs = new runtime.services.ItemsService('nextpanel_logs', { schema, knex: runtime.database });
			await logs.createOne(
				{
					action: record.action,
					server: scope.server,
					hosting_account: scope.hostingAccount,
					user: scope.user,
					http_status: record.httpStatus,
					duration_ms: record.durationMs,
					outcome: record.outcome,
					error_code: record.errorCode,
					message: record.message,
					request: record.request,
					response: record.response,
				},
				{ autoPurgeCache: false },
			);
		} catch (error) {
			// A failed log write must not turn a successful provisioning into a failure.
			runtime.logger.warn(`nextpanel: could not write a nextpanel_logs row for ${record.action}: ${error instanceof Error ? error.message : String(error)}`);
		}
	};
}
