// A NextPanel server for tests and demos: the billing API of shared/nextpanel-api.md on one port,
// and a control API (faults, keys, call log, state) on another, so nothing on the API port tells
// a client it is not talking to the real thing.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccountStore } from './accounts.ts';
import { clientIp, KeyStore, type ApiKeyInput } from './auth.ts';
import { handleBillingRequest, type BillingContext, type BillingFeatures } from './billing-api.ts';
import { CallLog } from './call-log.ts';
import { handleControlRequest } from './control.ts';
import { FaultRules, type FaultRule } from './faults.ts';
import { sendOversized } from './oversized-body.ts';
import { detailReply, emptyReply, INTERNAL_SERVER_ERROR, LOGIN_PAGE, nginxPage, readBody, sendReply, type Reply } from './responses.ts';
import type { SimulatorState } from './simulator-state.ts';

export type { CallRecord } from './call-log.ts';
export type { ApiKey, ApiKeyInput, Level } from './auth.ts';
export type { FaultInput, FaultRule } from './faults.ts';
export type { BillingFeatures } from './billing-api.ts';
export type { SimulatorState } from './simulator-state.ts';

export interface SimulatorOptions {
	/** API port; 0 (the default) picks a free one. */
	port?: number;
	/** Control API port; 0 (the default) picks a free one. */
	controlPort?: number;
	/** Address to listen on; default 127.0.0.1. */
	host?: string;
	/** Keys present from the start and after every reset. */
	keys?: ApiKeyInput[];
	/** Reported by /api/health; default 1.0.0. */
	version?: string;
	/** JSON file the accounts live in: read at start if present, rewritten after every change. */
	stateFile?: string;
	/** Milliseconds since the epoch; for account ages, key expiry and timestamps. Tests pass a fake one. */
	clock?: () => number;
	/** Optional routes a real server was never seen to have; all off by default. */
	features?: Partial<BillingFeatures>;
}

export interface Simulator extends SimulatorState {
	readonly controlUrl: string;
	readonly apiPort: number;
	readonly controlPort: number;
	close(): Promise<void>;
}

/** nginx's default client_max_body_size. */
export const MAX_BODY_BYTES = 1024 * 1024;

export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const host = options.host ?? '127.0.0.1';
	const version = options.version ?? '1.0.0';
	const now = options.clock ?? Date.now;
	const initialFeatures: BillingFeatures = { change_password: false, ...options.features };
	const features: BillingFeatures = { ...initialFeatures };
	const accounts = new AccountStore({ stateFile: options.stateFile, clock: now });
	const keys = new KeyStore(options.keys ?? []);
	const faults = new FaultRules(now);
	const calls = new CallLog();
	const billing: BillingContext = { accounts, keys, version, features, now };
	const closing = new AbortController();

	const api = createServer((req, res) => {
		handleApiRequest(req, res).catch((error: unknown) => {
			if (closing.signal.aborted || req.socket.destroyed) return;
			process.stderr.write(`nextpanel simulator: ${error instanceof Error ? error.stack : String(error)}\n`);
			if (!res.headersSent) sendReply(res, INTERNAL_SERVER_ERROR);
		});
	});
	const apiSockets = trackSockets(api);

	async function handleApiRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator');
		const method = req.method ?? 'GET';
		const presentedKey = headerValue(req, 'x-api-key');
		const record = calls.start({
			at: new Date(now()).toISOString(),
			method,
			path: url.pathname,
			// A secret pasted into the key header must not land in the log either.
			key: presentedKey === undefined ? null : keys.isSecret(presentedKey) ? '[redacted]' : presentedKey,
			ip: clientIp(req.socket.remoteAddress),
		});
		const respond = (reply: Reply) => {
			record.status = reply.status;
			sendReply(res, reply);
		};
		const plan = faults.plan(method, url.pathname);
		record.fault = plan.label;
		if (plan.delayMs > 0) await sleep(plan.delayMs, undefined, { signal: closing.signal });
		if (req.socket.destroyed) return;
		const action = plan.action;
		if (action?.kind === 'reset') return void req.socket.resetAndDestroy();
		if (action?.kind === 'blackhole') return void req.resume();

		const { bytes, tooLarge } = await readBody(req, MAX_BODY_BYTES);
		// Gone (client gave up, or the server went down meanwhile): a dead server commits nothing.
		if (req.socket.destroyed) return;
		if (tooLarge) return respond({ ...nginxPage(413), headers: { connection: 'close' } });
		const early = action ? replyInsteadOfHandling(action, now()) : null;
		if (early) return respond(early);
		if (action?.kind === 'oversized') {
			record.status = action.status;
			return sendOversized(res, action.status, action.bytes);
		}

		const reply = handleBillingRequest(billing, {
			method,
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			ip: record.ip,
			body: bytes,
		});
		if (action?.kind === 'reset_after_commit') return void req.socket.resetAndDestroy();
		if (action?.kind === 'malformed_json') return respond(truncated(reply, action.status));
		respond(reply);
	}

	const apiPort = await listen(api, options.port ?? 0, host);
	let up = true;
	// down() and up() run one after another, whoever calls them.
	let transition = Promise.resolve();
	const serially = (step: () => Promise<void>) => (transition = transition.then(step, step));

	const simulator: Simulator = {
		apiUrl: urlOf(host, apiPort),
		controlUrl: '',
		apiPort,
		controlPort: 0,
		version,
		accounts,
		keys,
		faults,
		calls,
		features,
		now,
		isUp: () => up,
		down: () =>
			serially(async () => {
				if (!up) return;
				up = false;
				await stop(api, apiSockets);
			}),
		up: () =>
			serially(async () => {
				if (up || closing.signal.aborted) return;
				await listen(api, apiPort, host);
				up = true;
			}),
		async reset() {
			accounts.clear();
			calls.clear();
			faults.clear();
			keys.reset();
			Object.assign(features, initialFeatures);
			await simulator.up();
		},
		async close() {
			if (closing.signal.aborted) return;
			closing.abort();
			await transition;
			await Promise.all([stop(api, apiSockets), stop(control, controlSockets)]);
		},
	};

	const control = createServer((req, res) => void handleControlRequest(simulator, req, res));
	const controlSockets = trackSockets(control);
	const controlPort = await listen(control, options.controlPort ?? 0, host).catch(async (error: unknown) => {
		await stop(api, apiSockets);
		throw error;
	});
	Object.assign(simulator, { controlPort, controlUrl: urlOf(host, controlPort) });
	return simulator;
}

/** The answer a fault gives in place of the real one, or null if the request is handled. */
function replyInsteadOfHandling(rule: FaultRule, nowMs: number): Reply | null {
	switch (rule.kind) {
		case 'status':
			return statusReply(rule.status, rule.body, rule.content_type);
		case 'rate_limit':
			return rateLimitReply(rule, nowMs);
		case 'html':
			return { status: rule.status, body: LOGIN_PAGE, contentType: 'text/html; charset=utf-8', server: 'nginx' };
		case 'empty':
			return { ...emptyReply(rule.status), server: 'nginx' };
		default:
			return null;
	}
}

/** A status fault: the given body, else what the real stack would send for that status. */
function statusReply(status: number, body: unknown, contentType: string | undefined): Reply {
	let reply: Reply;
	if (typeof body === 'string')
		reply = {
			status,
			body,
			contentType: body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
			server: 'uvicorn',
		};
	else if (body !== undefined) reply = { status, body: JSON.stringify(body), contentType: 'application/json', server: 'uvicorn' };
	else if (status === 500) reply = INTERNAL_SERVER_ERROR;
	else if (status === 502 || status === 504) reply = nginxPage(status);
	else if (status === 503) reply = detailReply(503, 'Service temporarily unavailable');
	else reply = detailReply(status, STATUS_CODES[status] ?? 'Error');
	return contentType ? { ...reply, contentType } : reply;
}

/** A rate limiter's refusal: the status (429) as FastAPI details it, and when to come back. */
function rateLimitReply(rule: Extract<FaultRule, { kind: 'rate_limit' }>, nowMs: number): Reply {
	const reply = statusReply(rule.status, rule.body, undefined);
	if (rule.retry_after === null) return reply;
	const retryAfter =
		rule.retry_after_format === 'date'
			? new Date(Math.ceil(nowMs / 1000) * 1000 + rule.retry_after * 1000).toUTCString()
			: String(rule.retry_after);
	return { ...reply, headers: { ...reply.headers, 'retry-after': retryAfter } };
}

/** The real answer cut in half: still labelled JSON, no longer parseable. */
function truncated(reply: Reply, status: number): Reply {
	const full = reply.contentType === 'application/json' ? reply.body : JSON.stringify({ detail: reply.body });
	return { status, body: full.slice(0, Math.max(1, Math.floor(full.length / 2))), contentType: 'application/json', server: 'uvicorn' };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

function urlOf(host: string, port: number): string {
	// A wildcard address is not one to connect to; name the loopback instead.
	const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
	return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

function trackSockets(server: Server): Set<Socket> {
	const sockets = new Set<Socket>();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return sockets;
}

function listen(server: Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}

/** Stops listening and drops every connection, idle, busy or black-holed. */
function stop(server: Server, sockets: Set<Socket>): Promise<void> {
	return new Promise((resolve) => {
		for (const socket of sockets) socket.destroy();
		if (!server.listening) return resolve();
		server.close(() => resolve());
	});
}
