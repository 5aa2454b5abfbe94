// One nextpanel_logs row per NextPanel call (and per password reveal, which people must be able
// to audit too). A plain insert rather than ItemsService: the collection tracks no activity or
// revisions, nothing listens for its events, and the insert sits on the hot path of every
// provisioning.
import type { Knex } from 'knex';
/** The part of Directus's logger the call log needs. */
interface Logger {
	warn(message: string): void;
}
import type { CallRecord, CallRecorder } from '../nextpanel/client.ts';
import type { AuditEvent } from '../../shared/wire/call-log.ts';

/** Rows that are not NextPanel calls but belong in the same audit trail. */
export type LogRecord = CallRecord | (Omit<CallRecord, 'action'> & { action: AuditEvent });

export interface CallScope {
	/** The saved server the call was made for; null for a test of values that are not saved. */
	server: string | null;
	hostingAccount: string | null;
	user: string | null;
	/** The scheduled job that made the call when no person did ("overdue job"). */
	actor?: string | null;
}

/** A timestamp as Directus itself stores it: epoch milliseconds as text in SQLite, a date elsewhere. */
export function storedTimestamp(knex: Knex, date: Date): string | Date {
	return knex.client.config.client === 'sqlite3' ? String(date.getTime()) : date;
}

/** Where a call-log row goes, and who hears about a write that failed. */
export interface CallLogTarget {
	knex: Knex;
	logger: Logger;
	scope: CallScope;
}

export interface CallLogWrite extends CallLogTarget {
	record: LogRecord;
	/** Part of a transaction that must not commit without its audit row (a reveal): a failed write throws. */
	required?: boolean;
}

export async function writeCallLog({ knex, logger, scope, record, required = false }: CallLogWrite): Promise<void> {
	try {
		await knex('nextpanel_logs').insert({
			date_created: storedTimestamp(knex, new Date()),
			action: record.action,
			server: scope.server,
			hosting_account: scope.hostingAccount,
			user: scope.user,
			actor: scope.actor ?? null,
			http_status: record.httpStatus,
			duration_ms: record.durationMs,
			outcome: record.outcome,
			error_code: record.errorCode,
			message: record.message,
			request: JSON.stringify(record.request),
			response: JSON.stringify(record.response ?? null),
		});
	} catch (error) {
		if (required) throw error;
		// A failed log write must not turn a successful provisioning into a failure.
		logger.warn(
			`nextpanel: could not write a nextpanel_logs row for ${record.action}: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
}

export function callRecorder(target: CallLogTarget): CallRecorder {
	return (record) => writeCallLog({ ...target, record });
}
