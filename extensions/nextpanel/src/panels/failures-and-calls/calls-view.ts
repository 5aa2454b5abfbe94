// The calls panel's options as the route's query, and its answer in words: calls and failures per
// server, and the newest failures with what went wrong.
import { formatRelative } from '../../interfaces/shared/format.ts';
import type { CallsInsight } from '../../shared/wire/insights.ts';
import { browserTimeZone, dayRange, optionText } from '../shared/panel-options.ts';
import { strings } from '../shared/strings.ts';

export const DEFAULT_DAYS = 7;
/** The module's overview, whose call log lists every call with its details. */
export const CALL_LOG_PATH = '/nextpanel';

export function callsQuery(
	options: { server?: unknown; days?: unknown; from?: unknown; to?: unknown },
	{ now = new Date(), timeZone = browserTimeZone() }: { now?: Date; timeZone?: string } = {},
) {
	const { from, to } = dayRange(options, { now, timeZone, defaultDays: DEFAULT_DAYS });
	return { from, to, tz: timeZone, server: optionText(options.server) };
}

export interface ServerCalls {
	/** The server id, or `none` for calls made without a saved server (a connection test of new credentials). */
	key: string;
	name: string;
	calls: number;
	failed: number;
	/** 0-100, rounded. */
	failedPercent: number;
}

export interface CallError {
	id: string;
	action: string;
	actionLabel: string;
	/** The error code, else the HTTP status, else nothing. */
	code: string | null;
	message: string;
	serverName: string;
	when: string;
	date: string | null;
	account: string | null;
}

export function serverCalls(insight: CallsInsight): ServerCalls[] {
	return insight.per_server.map((row) => ({
		key: row.server ?? 'none',
		name: row.name ?? (row.server ? row.server : strings.calls.noServer),
		calls: row.calls,
		failed: row.failed,
		failedPercent: row.calls > 0 ? Math.round((row.failed / row.calls) * 100) : 0,
	}));
}

export function callErrors(insight: CallsInsight, now: number): CallError[] {
	const names = new Map(insight.per_server.flatMap((row) => (row.server && row.name ? [[row.server, row.name] as const] : [])));
	return insight.last_errors.map((error) => ({
		id: String(error.id),
		action: error.action,
		actionLabel: strings.calls.action(error.action),
		code: error.error_code ?? (error.http_status === null ? null : strings.calls.http(error.http_status)),
		message: error.message ?? strings.calls.noMessage,
		serverName: error.server ? (names.get(error.server) ?? error.server) : strings.calls.noServer,
		when: formatRelative(error.date_created, now),
		date: error.date_created,
		account: error.hosting_account,
	}));
}

export function callPath(id: string): string {
	return `/content/nextpanel_logs/${encodeURIComponent(id)}`;
}
