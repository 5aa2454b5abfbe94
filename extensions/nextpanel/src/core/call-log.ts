// One nextpanel_logs row per NextPanel call. A plain insert rather than ItemsService: the
// collection tracks no activity or revisions, nothing listens for its events, and the insert
// sits on the hot path of every provisioning.
import type { CallRecorder } from './nextpanel/client.ts';
import type { Runtime } from './runtime.ts';

export interface CallScope {
	server: string | null;
	hostingAccount: string | null;
	user: string | null;
}

/** A timestamp as Directus itself stores it: epoch milliseconds as text in SQLite, a date elsewhere. */
export function storedTimestamp(runtime: Runtime, date: Date): string | Date {
	return runtime.database.client.config.client === 'sqlite3' ? String(date.getTime()) : date;
}

export function callRecorder(runtime: Runtime, scope: CallScope): CallRecorder {
	return async (record) => {
		try {
			await runtime.database('nextpanel_logs').insert({
				date_created: storedTimestamp(runtime, new Date()),
				action: record.action,
				server: scope.server,
				hosting_account: scope.hostingAccount,
				user: scope.user,
				http_status: record.httpStatus,
				duration_ms: record.durationMs,
				outcome: record.outcome,
				error_code: record.errorCode,
				message: record.message,
				request: JSON.stringify(record.request),
				response: JSON.stringify(record.response ?? null),
			});
		} catch (error) {
			// A failed log write must not turn a successful provisioning into a failure.
			runtime.logger.warn(
				`nextpanel: could not write a nextpanel_logs row for ${record.action}: ${error instanceof Error ? error.message : String(error)}`,
			);
		}
	};
}
