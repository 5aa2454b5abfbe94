// What a connection test answers, over REST and to the app: both sides read this one shape.
export const CONNECTION_STATUSES = [
	'ok',
	'unreachable',
	'timeout',
	'auth_failed',
	'ip_not_allowed',
	'insufficient_permission',
	'bad_response',
] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export type CheckName = 'reachable' | 'credentials' | 'permission' | 'version';

export interface ConnectionCheck {
	name: CheckName;
	ok: boolean;
	/** True when an earlier check failed and this one could not run. */
	skipped: boolean;
	message: string;
}

export interface ConnectionTestResult {
	ok: boolean;
	status: ConnectionStatus;
	message: string;
	version: string | null;
	latency_ms: number | null;
	checks: ConnectionCheck[];
}
