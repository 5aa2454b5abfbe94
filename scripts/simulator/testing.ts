// Helpers for the simulator's own tests: a raw HTTP client (no connection pooling, no automatic
// content types, socket errors surfaced with their codes) and an in-process simulator.
import { request } from 'node:http';
import { SimulatorControl } from './control-client.ts';
import { createSimulator, type Simulator, type SimulatorOptions } from './server.ts';

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** The body parsed as JSON, or undefined when it is not JSON. */
	json: any;
}

export interface RawRequest {
	headers?: Record<string, string>;
	/** Sent as JSON with `content-type: application/json`. */
	body?: unknown;
	/** Sent as is; set the content type yourself through `headers`. */
	raw?: string | Buffer;
	/** Aborts the request after this many milliseconds (the promise rejects with code ETIMEDOUT_TEST). */
	timeoutMs?: number;
}

export const SUPER = { 'x-api-key': 'npk_super', 'x-api-secret': 'nps_super' } as const;
export const BILLING = { 'x-api-key': 'npk_billing', 'x-api-secret': 'nps_billing' } as const;

/** One HTTP exchange on a fresh connection. Rejects with the socket error (e.g. code ECONNRESET). */
export function send(baseUrl: string, method: string, path: string, options: RawRequest = {}): Promise<RawResponse> {
	const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
	const headers: Record<string, string> = {
		...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
		...(payload !== undefined ? { 'content-length': String(Buffer.byteLength(payload)) } : {}),
		...options.headers,
	};
	return new Promise((resolve, reject) => {
		const req = request(`${baseUrl}${path}`, { method, headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('error', reject);
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json: unknown;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
			});
		});
		req.on('error', reject);
		if (options.timeoutMs !== undefined) {
			req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('test timeout'), { code: 'ETIMEDOUT_TEST' })));
		}
		req.end(payload);
	});
}

/** The error a request failed with (fails the test if it succeeded). */
export async function failureOf(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
	const outcome = await promise.then(
		(value) => ({ value }),
		(error: unknown) => ({ error: error as NodeJS.ErrnoException }),
	);
	if ('value' in outcome) throw new Error(`expected the request to fail, got ${JSON.stringify(outcome.value).slice(0, 300)}`);
	return outcome.error;
}

export const accountBody = (username: string, extra: Record<string, unknown> = {}) => ({
	username,
	email: `${username}@example.com`,
	password: 'Sup3r-Secret-Pass',
	full_name: 'Jane Doe',
	phone: null,
	company: 'Acme',
	package_id: null,
	is_admin: false,
	billing_id: `cust-${username}`,
	metadata: { created_from: 'billing_system', billing_customer_id: `cust-${username}`, account_type: 'panel' },
	...extra,
});

export interface TestSimulator {
	sim: Simulator;
	control: SimulatorControl;
	/** A request to the billing API port. */
	api: (method: string, path: string, options?: RawRequest) => Promise<RawResponse>;
	/** Creates an account with the SUPER_ADMIN key and returns its JSON. */
	create: (username: string, extra?: Record<string, unknown>) => Promise<any>;
}

/** A simulator on random ports with a SUPER_ADMIN and a BILLING key. */
export async function startTestSimulator(options: SimulatorOptions = {}): Promise<TestSimulator> {
	const sim = await createSimulator({
		keys: [
			{ key: SUPER['x-api-key'], secret: SUPER['x-api-secret'], level: 'SUPER_ADMIN' },
			{ key: BILLING['x-api-key'], secret: BILLING['x-api-secret'], level: 'BILLING' },
		],
		...options,
	});
	const api = (method: string, path: string, requestOptions?: RawRequest) => send(sim.apiUrl, method, path, requestOptions);
	const create = async (username: string, extra: Record<string, unknown> = {}) => {
		const response = await api('POST', '/api/v1/billing/accounts', { headers: SUPER, body: accountBody(username, extra) });
		if (response.status !== 201) throw new Error(`create ${username}: ${response.status} ${response.text}`);
		return response.json;
	};
	return { sim, control: new SimulatorControl(sim.controlUrl), api, create };
}
