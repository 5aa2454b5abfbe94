// A NextPanel server for tests and demos: the billing API of shared/nextpanel-api.md on one
// port, and a control API (faults, keys, call log, state) on another, so nothing on the API
// port tells a client it is not talking to the real thing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AccountStore, hashPassword, publicView } from './accounts.ts';
import { handleControl } from './control.ts';
import { FaultRules, latencyOf, LOGIN_PAGE, NGINX_PAGE, type FaultRule } from './faults.ts';
import { KeyStore, normalizeIp, type ApiKey } from './keys.ts';
import { usageOf } from './usage.ts';
import { jsonInvalidIssue, pathIdIssue, validateCreate } from './validation.ts';

export interface SimulatorOptions {
	port?: number;
	controlPort?: number;
	host?: string;
	keys?: ApiKey[];
	version?: string;
	stateFile?: string;
}

export interface CallRecord {
	seq: number;
	at: string;
	method: string;
	path: string;
	status: number | null;
	key: string | null;
	fault: string | null;
	ip: string;
}

export interface Simulator {
	apiUrl: string;
	controlUrl: string;
	apiPort: number;
	controlPort: number;
	accounts: AccountStore;
	keys: KeyStore;
	faults: FaultRules;
	calls: CallRecord[];
	seedKeys: ApiKey[];
	down(): Promise<void>;
	up(): Promise<void>;
	isUp(): boolean;
	close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const ACCOUNT_PATH = /^\/api\/v1\/billing\/accounts\/([^/]+)(?:\/(suspend|unsuspend|stats))?$/;

interface Reply {
	status: number;
	body: unknown;
	contentType?: string;
}

const json = (status: number, body: unknown): Reply => ({ status, body });
const detail = (status: number, text: string): Reply => json(status, { detail: text });

function send(res: ServerResponse, reply: Reply): void {
	const isText = typeof reply.body === 'string';
	const payload = isText ? (reply.body as string) : JSON.stringify(reply.body);
	res.writeHead(reply.status, { 'content-type': reply.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json'), 'content-length': Buffer.byteLength(payload), server: 'uvicorn' });
	res.end(payload);
}

function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
		req.on('error', reject);
	});
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: unknown; position: number } {
	if (text.trim() === '') return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		const position = Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
		return { ok: false, error, position };
	}
}

export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const host = options.host ?? '127.0.0.1';
	const version = options.version ?? '1.0.0';
	const seedKeys = options.keys ?? [];
	const accounts = new AccountStore(options.stateFile);
	const keys = new KeyStore(seedKeys);
	const faults = new FaultRules();
	const calls: CallRecord[] = [];
	const sockets = new Set<Socket>();
	let sequence = 0;

	/** The billing API proper, without faults. */
	function route(method: string, path: string, body: unknown, headers: IncomingMessage['headers'], ip: string, record: CallRecord): Reply {
		if (path === '/api/health') return method === 'GET' ? json(200, { status: 'healthy', database: 'connected', version }) : detail(405, 'Method Not Allowed');

		const isCollection = path === '/api/v1/billing/accounts';
		const item = ACCOUNT_PATH.exec(path);
		if (!isCollection && !item) return detail(404, 'Not Found');
		const action = item?.[2];
		const allowed = isCollection ? ['GET', 'POST'] : action === 'stats' ? ['GET'] : action ? ['POST'] : ['GET', 'DELETE'];
		if (!allowed.includes(method)) return detail(405, 'Method Not Allowed');

		const writes = method !== 'GET';
		const auth = keys.authenticate(headers['x-api-key'] as string | undefined, headers['x-api-secret'] as string | undefined, ip, writes);
		record.key = auth.key?.key ?? ((headers['x-api-key'] as string | undefined) || null);
		if (!auth.ok) return detail(auth.status, auth.detail);

		if (isCollection && method === 'GET') return json(200, accounts.live().map(publicView));
		if (isCollection) {
			const checked = validateCreate(body);
			if (!checked.ok) return json(422, { detail: checked.issues });
			const { password, ...fields } = checked.value;
			if (accounts.usernameTaken(fields.username)) return detail(400, 'Username already exists');
			return json(201, publicView(accounts.create({ ...fields, password_hash: hashPassword(password) })));
		}

		const rawId = item![1]!;
		if (!/^-?\d+$/.test(rawId)) return json(422, { detail: [pathIdIssue(rawId)] });
		const account = accounts.get(Number(rawId));
		if (!account) return detail(404, 'Account not found');
		switch (action) {
			case 'stats':
				return json(200, { ...usageOf(account), updated_at: new Date().toISOString() });
			case 'suspend': {
				if (account.status === 'suspended') return detail(400, 'Account is already suspended');
				const reason = body && typeof body === 'object' && 'reason' in body && typeof body.reason === 'string' ? body.reason : null;
				return json(200, publicView(accounts.update(account, { status: 'suspended', suspend_reason: reason })));
			}
			case 'unsuspend':
				if (account.status !== 'suspended') return detail(400, 'Account is not suspended');
				return json(200, publicView(accounts.update(account, { status: 'active', suspend_reason: null })));
			default:
				if (method === 'DELETE') {
					accounts.update(account, { deleted: true });
					return json(200, { message: 'Account deleted successfully' });
				}
				return json(200, publicView(account));
		}
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const method = req.method ?? 'GET';
		const path = new URL(req.url ?? '/', 'http://simulator').pathname;
		const ip = normalizeIp(req.socket.remoteAddress);
		const record: CallRecord = { seq: ++sequence, at: new Date().toISOString(), method, path, status: null, key: (req.headers['x-api-key'] as string | undefined) ?? null, fault: null, ip };
		calls.push(record);
		const { text, tooLarge } = await readBody(req);

		const rules = faults.take(method, path);
		let after: FaultRule | null = null;
		for (const rule of rules) {
			record.fault = rule.kind;
			if (rule.kind === 'latency') {
				await new Promise((resolve) => setTimeout(resolve, latencyOf(rule)));
				continue;
			}
			if (rule.kind === 'reset') {
				req.socket.destroy();
				return;
			}
			if (rule.kind === 'blackhole') return;
			if (rule.kind === 'status') {
				const status = rule.status ?? 500;
				record.status = status;
				if (rule.body !== undefined) return send(res, { status, body: rule.body, contentType: 'text/plain' });
				if (status === 503) return send(res, detail(503, 'Service temporarily unavailable'));
				if (status >= 502 && status <= 504) return send(res, { status, body: NGINX_PAGE(status, status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Temporarily Unavailable' : 'Gateway Time-out'), contentType: 'text/html' });
				return send(res, { status, body: 'Internal Server Error' });
			}
			if (rule.kind === 'html') {
				record.status = 200;
				return send(res, { status: 200, body: LOGIN_PAGE, contentType: 'text/html; charset=utf-8' });
			}
			if (rule.kind === 'empty') {
				record.status = rule.status ?? 502;
				res.writeHead(record.status, { 'content-length': 0 });
				res.end();
				return;
			}
			after = rule;
		}

		let reply: Reply;
		if (tooLarge) reply = detail(413, 'Request Entity Too Large');
		else {
			const parsed = parseJson(text);
			reply = parsed.ok ? route(method, path, parsed.value, req.headers, ip, record) : json(422, { detail: [jsonInvalidIssue(parsed.error, parsed.position)] });
		}

		if (after?.kind === 'reset_after_commit') {
			req.socket.destroy();
			return;
		}
		record.status = reply.status;
		if (after?.kind === 'malformed_json') {
			const full = JSON.stringify(reply.body);
			const truncated = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
			res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(truncated) });
			res.end(truncated);
			return;
		}
		send(res, reply);
	}

	const api: Server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (!res.headersSent) send(res, { status: 500, body: 'Internal Server Error' });
			process.stderr.write(`simulator: ${String(error)}\n`);
		});
	});
	api.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	const listen = (server: Server, port: number) =>
		new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				resolve((server.address() as AddressInfo).port);
			});
		});
	const stop = (server: Server) =>
		new Promise<void>((resolve) => {
			if (!server.listening) return resolve();
			server.close(() => resolve());
			for (const socket of sockets) socket.destroy();
		});

	const apiPort = await listen(api, options.port ?? 0);
	let up = true;

	const simulator: Simulator = {
		apiUrl: `http://${host}:${apiPort}`,
		controlUrl: '',
		apiPort,
		controlPort: 0,
		accounts,
		keys,
		faults,
		calls,
		seedKeys,
		async down() {
			up = false;
			await stop(api);
		},
		async up() {
			if (up) return;
			await listen(api, apiPort);
			up = true;
		},
		isUp: () => up,
		async close() {
			await Promise.all([stop(api), stop(control)]);
		},
	};

	const control: Server = createServer((req, res) => {
		handleControl(simulator, req, res).catch((error: unknown) => {
			if (!res.headersSent) send(res, json(400, { error: error instanceof Error ? error.message : String(error) }));
		});
	});
	simulator.controlPort = await listen(control, options.controlPort ?? 0);
	simulator.controlUrl = `http://${host}:${simulator.controlPort}`;
	return simulator;
}

export { readBody, send, json };
