// axios's `timeout` is a socket idle timer; a separate, shorter limit on establishing the TCP
// connection tells "unreachable" from "slow" and lets the caller know nothing was sent.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

export const CONNECT_TIMEOUT_CODE = 'NEXTPANEL_CONNECT_TIMEOUT';

function armConnectTimeout(socket: Socket, ms: number): void {
	if (!socket.connecting) return;
	const timer = setTimeout(() => {
		socket.destroy(Object.assign(new Error(`connect timeout after ${ms} ms`), { code: CONNECT_TIMEOUT_CODE }));
	}, ms);
	const clear = () => clearTimeout(timer);
	socket.once('connect', clear);
	socket.once('close', clear);
}

class ConnectTimeoutHttpAgent extends http.Agent {
	readonly #connectTimeoutMs: number;
	constructor(connectTimeoutMs: number) {
		// No keep-alive: a reused socket the server has just closed fails a non-idempotent
		// create in a way that looks like a lost response; a fresh connection per call is cheap.
		super({ keepAlive: false });
		this.#connectTimeoutMs = connectTimeoutMs;
	}
	override createConnection(...args: Parameters<http.Agent['createConnection']>): ReturnType<http.Agent['createConnection']> {
		const socket = super.createConnection(...args) as Socket;
		armConnectTimeout(socket, this.#connectTimeoutMs);
		return socket;
	}
}

class ConnectTimeoutHttpsAgent extends https.Agent {
	readonly #connectTimeoutMs: number;
	constructor(connectTimeoutMs: number) {
		super({ keepAlive: false });
		this.#connectTimeoutMs = connectTimeoutMs;
	}
	override createConnection(...args: Parameters<https.Agent['createConnection']>): ReturnType<https.Agent['createConnection']> {
		const socket = super.createConnection(...args) as Socket;
		armConnectTimeout(socket, this.#connectTimeoutMs);
		return socket;
	}
}

const agents = new Map<number, { http: http.Agent; https: https.Agent }>();

export function agentsFor(connectTimeoutMs: number): { http: http.Agent; https: https.Agent } {
	let pair = agents.get(connectTimeoutMs);
	if (!pair) {
		pair = { http: new ConnectTimeoutHttpAgent(connectTimeoutMs), https: new ConnectTimeoutHttpsAgent(connectTimeoutMs) };
		agents.set(connectTimeoutMs, pair);
	}
	return pair;
}
