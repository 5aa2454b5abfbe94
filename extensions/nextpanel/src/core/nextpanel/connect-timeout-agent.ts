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

/** An agent whose every new socket must connect within `ms`. */
function withConnectTimeout<A extends http.Agent>(agent: A, ms: number): A {
	const create = agent.createConnection.bind(agent) as (...args: unknown[]) => Socket;
	agent.createConnection = ((...args: unknown[]) => {
		const socket = create(...args);
		armConnectTimeout(socket, ms);
		return socket;
	}) as A['createConnection'];
	return agent;
}

const agents = new Map<number, { http: http.Agent; https: https.Agent }>();

export function agentsFor(connectTimeoutMs: number): { http: http.Agent; https: https.Agent } {
	let pair = agents.get(connectTimeoutMs);
	if (!pair) {
		// No keep-alive: a reused socket the server has just closed fails a non-idempotent create
		// in a way that looks like a lost response; a fresh connection per call is cheap.
		pair = {
			http: withConnectTimeout(new http.Agent({ keepAlive: false }), connectTimeoutMs),
			https: withConnectTimeout(new https.Agent({ keepAlive: false }), connectTimeoutMs),
		};
		agents.set(connectTimeoutMs, pair);
	}
	return pair;
}
