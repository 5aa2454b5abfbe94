// The only code that speaks HTTP to NextPanel. One method per contract endpoint; each call is
// timed, classified on failure, and reported to a recorder that writes nextpanel_logs.
import type { BlockList } from 'node:net';
import axios, { AxiosError, type Method } from 'axios';
import { z } from 'zod';
import { redact } from '../lib/redact.ts';
import { AddressNotAllowedError, agentsFor } from './connect-timeout-agent.ts';
import {
	accountListSchema,
	accountSchema,
	healthSchema,
	statsSchema,
	type CreateAccountRequest,
	type NextPanelAccount,
	type NextPanelHealth,
	type NextPanelStats,
} from './contract.ts';
import {
	badResponse,
	classifyNetworkError,
	classifyResponse,
	NextPanelFailure,
	RESPONSE_TOO_LARGE_CODE,
	type ClassifyContext,
} from './failure.ts';
import type { NextPanelAction } from '../../shared/wire/call-log.ts';

export interface NextPanelEndpoint {
	baseUrl: string;
	apiKey: string;
	apiSecret: string;
}

export interface NextPanelTimeouts {
	connectMs: number;
	readMs: number;
	writeMs: number;
}

export interface NextPanelLimits {
	/** Largest answer read from any call but the account list. */
	maxResponseBytes: number;
	/** Largest account list read (a server with 10,000 accounts answers about 3 MB). */
	maxListResponseBytes: number;
	/** Addresses no connection may go to, checked at every connection. */
	denyList: BlockList;
}

export type { NextPanelAction };

export interface CallRecord {
	action: NextPanelAction;
	httpStatus: number | null;
	durationMs: number;
	outcome: 'ok' | 'error';
	errorCode: string | null;
	message: string | null;
	request: { method: string; path: string; body?: unknown };
	response: unknown;
}

export type CallRecorder = (record: CallRecord) => Promise<void> | void;

interface CallSpec<T> {
	action: NextPanelAction;
	method: Method;
	path: string;
	body?: unknown;
	authenticated: boolean;
	timeoutMs: number;
	doing: string;
	schema: z.ZodType<T>;
	username?: string;
	accountId?: number;
	/** For the permission probe: statuses that mean success although they are errors. */
	acceptStatuses?: number[];
	/** The account list may be far larger than any other answer. */
	large?: boolean;
}

const anyJson = z.unknown();

export function normalizeBaseUrl(baseUrl: string): string {
	return baseUrl.trim().replace(/\/+$/, '');
}

/** The code that says what went wrong with a request that got no usable answer. */
function networkErrorCode(error: unknown, deadline: AbortSignal): string | undefined {
	if (deadline.aborted) return 'NEXTPANEL_TIMEOUT';
	if (error instanceof AxiosError && error.code === AxiosError.ERR_BAD_RESPONSE && /maxContentLength/.test(error.message)) {
		return RESPONSE_TOO_LARGE_CODE;
	}
	const cause = error instanceof AxiosError ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
	return cause?.code ?? (error as NodeJS.ErrnoException | undefined)?.code;
}

function refusedAddressOf(error: unknown): string | undefined {
	const cause = error instanceof AxiosError ? error.cause : error;
	return cause instanceof AddressNotAllowedError ? cause.address : undefined;
}

/** Large list responses are summarised in the call log rather than stored whole. */
function loggableResponse(body: unknown): unknown {
	if (Array.isArray(body) && body.length > 5) return { items: body.length, first: redact(body.slice(0, 3)) };
	return redact(body);
}

export class NextPanelClient {
	readonly baseUrl: string;
	readonly #endpoint: NextPanelEndpoint;
	readonly #timeouts: NextPanelTimeouts;
	readonly #limits: NextPanelLimits;
	readonly #record: CallRecorder | undefined;

	constructor({
		endpoint,
		timeouts,
		limits,
		record,
	}: {
		endpoint: NextPanelEndpoint;
		timeouts: NextPanelTimeouts;
		limits: NextPanelLimits;
		/** Where each call is logged; none for calls nobody audits. */
		record?: CallRecorder;
	}) {
		this.baseUrl = normalizeBaseUrl(endpoint.baseUrl);
		this.#endpoint = endpoint;
		this.#timeouts = timeouts;
		this.#limits = limits;
		this.#record = record;
	}

	health(timeoutMs = this.#timeouts.readMs): Promise<NextPanelHealth> {
		return this.#call({
			action: 'health',
			method: 'GET',
			path: '/api/health',
			authenticated: false,
			timeoutMs,
			doing: 'checking its health',
			schema: healthSchema,
		});
	}

	listAccounts(timeoutMs = this.#timeouts.readMs): Promise<NextPanelAccount[]> {
		return this.#call({
			action: 'list_accounts',
			method: 'GET',
			path: '/api/v1/billing/accounts',
			authenticated: true,
			timeoutMs,
			doing: 'listing accounts',
			schema: accountListSchema,
			large: true,
		});
	}

	getAccount(id: number): Promise<NextPanelAccount> {
		return this.#call({
			action: 'get_account',
			method: 'GET',
			path: `/api/v1/billing/accounts/${id}`,
			authenticated: true,
			timeoutMs: this.#timeouts.readMs,
			doing: `reading account ${id}`,
			schema: accountSchema,
			accountId: id,
		});
	}

	createAccount(body: CreateAccountRequest): Promise<NextPanelAccount> {
		return this.#call({
			action: 'create_account',
			method: 'POST',
			path: '/api/v1/billing/accounts',
			body,
			authenticated: true,
			timeoutMs: this.#timeouts.writeMs,
			doing: `creating account "${body.username}"`,
			schema: accountSchema,
			username: body.username,
		});
	}

	suspendAccount(id: number, reason: string | null): Promise<unknown> {
		return this.#call({
			action: 'suspend_account',
			method: 'POST',
			path: `/api/v1/billing/accounts/${id}/suspend`,
			body: { reason: reason ?? '' },
			authenticated: true,
			timeoutMs: this.#timeouts.writeMs,
			doing: `suspending account ${id}`,
			schema: anyJson,
			accountId: id,
		});
	}

	unsuspendAccount(id: number): Promise<unknown> {
		return this.#call({
			action: 'unsuspend_account',
			method: 'POST',
			path: `/api/v1/billing/accounts/${id}/unsuspend`,
			authenticated: true,
			timeoutMs: this.#timeouts.writeMs,
			doing: `unsuspending account ${id}`,
			schema: anyJson,
			accountId: id,
		});
	}

	deleteAccount(id: number): Promise<unknown> {
		return this.#call({
			action: 'delete_account',
			method: 'DELETE',
			path: `/api/v1/billing/accounts/${id}`,
			authenticated: true,
			timeoutMs: this.#timeouts.writeMs,
			doing: `deleting account ${id}`,
			schema: anyJson,
			accountId: id,
		});
	}

	getStats(id: number): Promise<NextPanelStats> {
		return this.#call({
			action: 'get_stats',
			method: 'GET',
			path: `/api/v1/billing/accounts/${id}/stats`,
			authenticated: true,
			timeoutMs: this.#timeouts.readMs,
			doing: `reading usage of account ${id}`,
			schema: statsSchema,
			accountId: id,
		});
	}

	/**
	 * Asks whether the key may create accounts without creating one: an empty create body is
	 * refused with 403 when the level is too low and with 422 (missing fields) when it is not.
	 */
	async probeWritePermission(timeoutMs = this.#timeouts.readMs): Promise<void> {
		await this.#call({
			action: 'probe_permission',
			method: 'POST',
			path: '/api/v1/billing/accounts',
			body: {},
			authenticated: true,
			timeoutMs,
			doing: 'checking the permission to create accounts',
			schema: anyJson,
			acceptStatuses: [422],
		});
	}

	async #call<T>(spec: CallSpec<T>): Promise<T> {
		const context: ClassifyContext = {
			baseUrl: this.baseUrl,
			doing: spec.doing,
			timeoutMs: spec.timeoutMs,
			username: spec.username,
			accountId: spec.accountId,
		};
		const started = performance.now();
		let httpStatus: number | null = null;
		let responseBody: unknown = null;
		try {
			const result = await this.#send(spec, context, (status, body) => {
				httpStatus = status;
				responseBody = body;
			});
			await this.#log({ spec, started, httpStatus, responseBody, failure: null });
			return result;
		} catch (error) {
			const failure =
				error instanceof NextPanelFailure
					? error
					: new NextPanelFailure({ code: 'bad_response', message: `Unexpected error while ${spec.doing}: ${String(error)}` });
			await this.#log({ spec, started, httpStatus, responseBody, failure });
			throw failure;
		}
	}

	async #send<T>(spec: CallSpec<T>, context: ClassifyContext, seen: (status: number, body: unknown) => void): Promise<T> {
		const agents = agentsFor(this.#timeouts.connectMs, this.#limits.denyList);
		const maxResponseBytes = spec.large ? this.#limits.maxListResponseBytes : this.#limits.maxResponseBytes;
		const deadline = AbortSignal.timeout(spec.timeoutMs);
		let response;
		try {
			response = await axios.request<string>({
				url: `${this.baseUrl}${spec.path}`,
				method: spec.method,
				data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
				headers: {
					Accept: 'application/json',
					...(spec.body === undefined ? {} : { 'Content-Type': 'application/json' }),
					...(spec.authenticated ? { 'X-API-Key': this.#endpoint.apiKey, 'X-API-Secret': this.#endpoint.apiSecret } : {}),
				},
				timeout: spec.timeoutMs,
				signal: deadline,
				httpAgent: agents.http,
				httpsAgent: agents.https,
				maxRedirects: 0,
				// axios stops reading (and drops what it has) once an answer passes this size.
				maxContentLength: maxResponseBytes,
				responseType: 'text',
				transformResponse: [(data: string) => data],
				validateStatus: () => true,
				proxy: false,
			});
		} catch (error) {
			throw classifyNetworkError({
				code: networkErrorCode(error, deadline),
				context,
				connectTimeoutMs: this.#timeouts.connectMs,
				limits: { maxResponseBytes, refusedAddress: refusedAddressOf(error) },
			});
		}

		const contentType = String(response.headers['content-type'] ?? '');
		const raw = typeof response.data === 'string' ? response.data : '';
		const isJson = /\bjson\b/i.test(contentType);
		let body: unknown = raw;
		if (isJson && raw.trim() !== '') {
			try {
				body = JSON.parse(raw);
			} catch {
				seen(response.status, raw.slice(0, 500));
				throw badResponse({ status: response.status, what: 'malformed JSON', context });
			}
		}
		seen(response.status, body);

		const accepted = response.status >= 200 && response.status < 300;
		if (!accepted && !spec.acceptStatuses?.includes(response.status)) {
			if (response.status >= 300 && response.status < 400) {
				throw badResponse({
					status: response.status,
					what: `a redirect to ${String(response.headers['location'] ?? 'another address')}`,
					context,
				});
			}
			const retryAfter = response.headers['retry-after'];
			throw classifyResponse({
				status: response.status,
				body,
				isJson,
				context,
				retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
			});
		}
		if (!isJson)
			throw badResponse({
				status: response.status,
				what: raw.trim() === '' ? 'an empty body' : /<html|<!doctype/i.test(raw) ? 'an HTML page' : 'plain text',
				context,
			});
		const parsed = spec.schema.safeParse(body);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw badResponse({
				status: response.status,
				what: `JSON of an unexpected shape (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`,
				context,
			});
		}
		return parsed.data;
	}

	async #log({
		spec,
		started,
		httpStatus,
		responseBody,
		failure,
	}: {
		spec: CallSpec<unknown>;
		/** performance.now() when the call began. */
		started: number;
		httpStatus: number | null;
		responseBody: unknown;
		failure: NextPanelFailure | null;
	}): Promise<void> {
		if (!this.#record) return;
		await this.#record({
			action: spec.action,
			httpStatus,
			durationMs: Math.round(performance.now() - started),
			outcome: failure ? 'error' : 'ok',
			errorCode: failure?.code ?? null,
			message: failure?.message ?? null,
			request: { method: spec.method, path: spec.path, ...(spec.body === undefined ? {} : { body: redact(spec.body) }) },
			response: loggableResponse(responseBody),
		});
	}
}
