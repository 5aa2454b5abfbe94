// Every way a NextPanel call can fail, reduced to one error type with a code, whether trying
// again can help, and a message that tells a person what to do.
import { errorBodySchema, type ValidationIssue } from './contract.ts';

export const FAILURE_CODES = [
	'unreachable',
	'timeout',
	'auth_failed',
	'ip_not_allowed',
	'insufficient_permission',
	'already_exists',
	'invalid',
	'rejected',
	'not_found',
	'not_supported',
	'server_error',
	'rate_limited',
	'bad_response',
	'response_too_large',
	'address_not_allowed',
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

const TRANSIENT: ReadonlySet<FailureCode> = new Set(['unreachable', 'timeout', 'server_error', 'rate_limited']);

export interface FailureDetails {
	code: FailureCode;
	message: string;
	httpStatus?: number | null;
	/** What NextPanel said, rendered as text (never contains request data we sent). */
	detail?: string | null;
	fieldErrors?: { field: string; message: string }[];
	/** False only when the request certainly never reached NextPanel (refused, no DNS, connect timeout). */
	mayHaveReachedServer?: boolean;
	/** How long NextPanel asked us to wait before calling again (its Retry-After), when it said. */
	retryAfterMs?: number | null;
}

export class NextPanelFailure extends Error {
	readonly code: FailureCode;
	readonly httpStatus: number | null;
	readonly detail: string | null;
	readonly fieldErrors: { field: string; message: string }[];
	readonly transient: boolean;
	readonly mayHaveReachedServer: boolean;
	readonly retryAfterMs: number | null;

	constructor(details: FailureDetails) {
		super(details.message);
		this.name = 'NextPanelFailure';
		this.code = details.code;
		this.httpStatus = details.httpStatus ?? null;
		this.detail = details.detail ?? null;
		this.fieldErrors = details.fieldErrors ?? [];
		this.transient = TRANSIENT.has(details.code);
		this.mayHaveReachedServer = details.mayHaveReachedServer ?? true;
		this.retryAfterMs = details.retryAfterMs ?? null;
	}
}

export const API_KEYS_PAGE = 'NextPanel → Super Admin → API Keys';

function truncate(text: string, max = 300): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function fieldName(issue: ValidationIssue): string {
	const path = (issue.loc ?? []).filter((part) => part !== 'body' && part !== 'path' && part !== 'query');
	return path.length ? path.join('.') : 'request';
}

/**
 * An error body as one readable line. Only NextPanel's own error shape (`detail`) is quoted, and
 * only a prefix of it; any other body (a proxy's HTML page, another service's JSON) is named by a
 * fixed description, so a base URL pointed at some other service never echoes what it serves.
 */
export function renderErrorBody(body: unknown): { text: string; fieldErrors: { field: string; message: string }[] } {
	if (body === undefined || body === null || body === '') return { text: 'an empty response', fieldErrors: [] };
	const parsed = errorBodySchema.safeParse(body);
	if (parsed.success) {
		const { detail } = parsed.data;
		if (typeof detail === 'string') return { text: truncate(detail), fieldErrors: [] };
		if (Array.isArray(detail)) {
			const fieldErrors = detail.map((issue) => ({ field: truncate(fieldName(issue), 80), message: truncate(issue.msg) }));
			return { text: truncate(fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')), fieldErrors };
		}
		return { text: 'an error without a readable message', fieldErrors: [] };
	}
	if (typeof body === 'string') {
		if (/<(!doctype|html|head|body|title)\b/i.test(body))
			return { text: 'an HTML page, not an answer of the NextPanel API', fieldErrors: [] };
		return { text: 'a text answer that is not from the NextPanel API', fieldErrors: [] };
	}
	return { text: 'a JSON answer that is not from the NextPanel API', fieldErrors: [] };
}

export interface ClassifyContext {
	baseUrl: string;
	/** What we were doing, in words: "creating the account", "reading accounts". */
	doing: string;
	timeoutMs: number;
	username?: string;
	accountId?: number | string;
}

/**
 * A Retry-After header as milliseconds from now: delta seconds (`120`) or an HTTP date (a date
 * in the past is 0). Null when there is none or it is neither.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | null {
	const text = value?.trim();
	if (!text) return null;
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const at = Date.parse(text);
	if (!/[a-z]/i.test(text) || Number.isNaN(at)) return null;
	return Math.max(0, at - nowMs);
}

function inWords(ms: number): string {
	return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`;
}

/** An answer NextPanel gave with an error status. */
export interface ErrorResponse {
	status: number;
	body: unknown;
	/** The answer said it is JSON (and `body` is parsed); otherwise `body` is its text. */
	isJson: boolean;
	context: ClassifyContext;
	/** Its Retry-After header, if any. */
	retryAfter?: string | null;
}

export function classifyResponse({ status, body, isJson, context, retryAfter }: ErrorResponse): NextPanelFailure {
	const { text, fieldErrors } = isJson ? renderErrorBody(body) : renderErrorBody(typeof body === 'string' ? body : '');
	const retryAfterMs = status === 429 || status >= 500 ? parseRetryAfter(retryAfter) : null;
	const base = { httpStatus: status, detail: text, retryAfterMs };
	if (status === 401) {
		return new NextPanelFailure({
			...base,
			code: 'auth_failed',
			message: `NextPanel rejected the API key and secret (401: ${text}). Check that both are copied correctly and that the key is active and not expired in ${API_KEYS_PAGE}.`,
		});
	}
	if (status === 403) {
		const ip = /IP address (\S+) is not allowed/i.exec(text)?.[1];
		if (ip || /\bIP\b/.test(text)) {
			return new NextPanelFailure({
				...base,
				code: 'ip_not_allowed',
				message: `NextPanel does not accept this API key from ${ip ? `this Directus server's address ${ip}` : "this Directus server's address"} (403: ${text}). Add ${ip ?? 'the address'} to the key's allowed IPs in ${API_KEYS_PAGE}.`,
			});
		}
		return new NextPanelFailure({
			...base,
			code: 'insufficient_permission',
			message: `The API key is valid but its permission level is too low for ${context.doing} (403: ${text}). Creating, suspending, unsuspending and deleting accounts needs the SUPER_ADMIN level: raise the key's level or create a SUPER_ADMIN key in ${API_KEYS_PAGE}.`,
		});
	}
	if (status === 400 && /already exists/i.test(text)) {
		return new NextPanelFailure({
			...base,
			code: 'already_exists',
			message: `NextPanel already has an account named "${context.username ?? '?'}" (400: ${text}).`,
		});
	}
	if (status === 404) {
		if (!isJson || /^not found$/i.test(text)) {
			return new NextPanelFailure({
				...base,
				code: isJson ? 'not_supported' : 'bad_response',
				message: `${context.baseUrl} has no such API route (404 while ${context.doing}). Check that the base URL points at a NextPanel server (without /api) and that its version supports this action.`,
			});
		}
		return new NextPanelFailure({
			...base,
			code: 'not_found',
			message: `NextPanel has no account${context.accountId !== undefined ? ` ${context.accountId}` : ''} (404: ${text}). It may have been deleted on the server.`,
		});
	}
	if (status === 405) {
		return new NextPanelFailure({
			...base,
			code: 'not_supported',
			message: `This NextPanel server does not support ${context.doing} (405: ${text}).`,
		});
	}
	if (status === 422) {
		return new NextPanelFailure({
			...base,
			fieldErrors,
			code: 'invalid',
			message: `NextPanel rejected the request while ${context.doing}: ${text}.`,
		});
	}
	if (status === 429) {
		return new NextPanelFailure({
			...base,
			code: 'rate_limited',
			message: `NextPanel is limiting requests and refused ${context.doing} (429: ${text})${retryAfterMs !== null ? `; it asked to wait ${inWords(retryAfterMs)}` : ''}. This is temporary; it is retried automatically, more slowly.`,
		});
	}
	if (status >= 500) {
		return new NextPanelFailure({
			...base,
			code: 'server_error',
			message: `NextPanel had a server error while ${context.doing} (${status}: ${text}). This is usually temporary; it is retried automatically.`,
		});
	}
	if (status >= 400) {
		return new NextPanelFailure({ ...base, code: 'rejected', message: `NextPanel refused ${context.doing} (${status}: ${text}).` });
	}
	return new NextPanelFailure({
		...base,
		code: 'bad_response',
		message: `NextPanel answered ${status} while ${context.doing}, which this client does not expect (${text}). Check that the base URL points at NextPanel and not at a proxy or another site.`,
	});
}

export function badResponse({ status, what, context }: { status: number; what: string; context: ClassifyContext }): NextPanelFailure {
	return new NextPanelFailure({
		httpStatus: status,
		detail: what,
		code: 'bad_response',
		message: `${context.baseUrl} answered ${what} while ${context.doing} (HTTP ${status}). Check that the base URL points at the NextPanel server itself, not at a proxy, login page or another site.`,
	});
}

const REFUSED_BEFORE_SENDING = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'NEXTPANEL_CONNECT_TIMEOUT',
	'NEXTPANEL_ADDRESS_NOT_ALLOWED',
	'ERR_INVALID_URL',
	'EPROTO',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** Set by the client when an answer exceeds its size limit, and by the address check at connect time. */
export const RESPONSE_TOO_LARGE_CODE = 'NEXTPANEL_RESPONSE_TOO_LARGE';
export const ADDRESS_NOT_ALLOWED_CODE = 'NEXTPANEL_ADDRESS_NOT_ALLOWED';

function megabytes(bytes: number | undefined): string {
	if (!bytes) return 'the limit';
	return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

export interface NetworkErrorDetails {
	maxResponseBytes?: number;
	refusedAddress?: string;
}

export interface NetworkError {
	/** The error code of the failed request (Node's, axios's or the client's own NEXTPANEL_*). */
	code: string | undefined;
	context: ClassifyContext;
	connectTimeoutMs: number;
	limits?: NetworkErrorDetails;
}

export function classifyNetworkError({ code, context, connectTimeoutMs, limits }: NetworkError): NextPanelFailure {
	const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
	const mayHaveReachedServer = !REFUSED_BEFORE_SENDING.has(code ?? '');
	const unreachable = (why: string, hint: string) =>
		new NextPanelFailure({
			code: 'unreachable',
			mayHaveReachedServer,
			detail: code ?? null,
			message: `Cannot reach NextPanel at ${context.baseUrl}: ${why}. ${hint}`,
		});
	switch (code) {
		case 'ECONNREFUSED':
			return unreachable('the connection was refused', 'Check the address and port, and that NextPanel is running.');
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return unreachable('the host name does not resolve', 'Check the spelling of the base URL and the DNS of the Directus server.');
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return unreachable('there is no network route to it', 'Check the address and any firewall between Directus and NextPanel.');
		case 'NEXTPANEL_CONNECT_TIMEOUT':
			return new NextPanelFailure({
				code: 'timeout',
				mayHaveReachedServer: false,
				detail: code,
				message: `NextPanel at ${context.baseUrl} did not accept a connection within ${seconds(connectTimeoutMs)}. A firewall may be dropping the traffic, or the address is wrong.`,
			});
		case 'ECONNABORTED':
		case 'ETIMEDOUT':
		case 'ERR_CANCELED':
		case 'NEXTPANEL_TIMEOUT':
			return new NextPanelFailure({
				code: 'timeout',
				mayHaveReachedServer,
				detail: code ?? null,
				message: `NextPanel at ${context.baseUrl} did not answer within ${seconds(context.timeoutMs)} while ${context.doing}. The server may be overloaded; it is retried automatically.`,
			});
		case RESPONSE_TOO_LARGE_CODE:
			return new NextPanelFailure({
				code: 'response_too_large',
				detail: code,
				message: `NextPanel at ${context.baseUrl} sent a response larger than ${megabytes(limits?.maxResponseBytes)} while ${context.doing}, so it was not read. Check that the base URL points at NextPanel itself; for a server with very many accounts, raise NEXTPANEL_MAX_LIST_RESPONSE_BYTES.`,
			});
		case ADDRESS_NOT_ALLOWED_CODE:
			return new NextPanelFailure({
				code: 'address_not_allowed',
				mayHaveReachedServer: false,
				detail: code,
				message: `Refused to connect to NextPanel at ${context.baseUrl}: ${limits?.refusedAddress ?? 'its address'} is in NEXTPANEL_URL_DENY_LIST (link-local and cloud metadata addresses are refused).`,
			});
		case 'ECONNRESET':
		case 'EPIPE':
		case 'ERR_SOCKET_CONNECTION_TIMEOUT':
			return unreachable('the connection closed before NextPanel answered', 'This is usually temporary; it is retried automatically.');
		default:
			if (code && /CERT|SSL|TLS/i.test(code))
				return unreachable(
					`the TLS certificate was not accepted (${code})`,
					'Fix the certificate on the NextPanel server or use its correct host name.',
				);
			return unreachable(
				`the request failed (${code ?? 'unknown network error'})`,
				'Check the base URL and the network between Directus and NextPanel.',
			);
	}
}
