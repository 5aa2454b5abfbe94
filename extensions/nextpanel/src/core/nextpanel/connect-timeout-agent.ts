// The agents every NextPanel request goes through. Two jobs:
// - A limit on establishing the TCP connection, separate from axios's idle timer, tells
//   "unreachable" from "slow" and lets the caller know nothing was sent.
// - The host name is resolved once per connection, every resolved address is checked against
//   the deny list, and the socket connects to exactly the address that was checked, so a name
//   that resolved to an allowed address when the URL was saved cannot be re-pointed at a
//   metadata service later (DNS rebinding).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type BlockList, type LookupFunction, type Socket } from 'node:net';
import { ADDRESS_NOT_ALLOWED_CODE } from './failure.ts';
import { isAddressDenied } from '../lib/url-guard.ts';

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

export class AddressNotAllowedError extends Error {
	readonly code = ADDRESS_NOT_ALLOWED_CODE;
	readonly address: string;
	constructor(address: string) {
		super(`${address} is in NEXTPANEL_URL_DENY_LIST`);
		this.address = address;
	}
}

/** A `lookup` for sockets that refuses any denied address among the answers. */
export function pinnedLookup(denied: BlockList): LookupFunction {
	return (hostname, options, callback) => {
		dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
			if (error) return callback(error, '', 0);
			const refused = addresses.find((entry) => isAddressDenied(entry.address, denied));
			if (refused) return callback(new AddressNotAllowedError(refused.address), '', 0);
			if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
			const first = addresses[0];
			if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
			callback(null, first.address, first.family);
		});
	};
}

/** An agent whose every new socket connects within `ms`, to an address the deny list allows. */
function guarded<A extends http.Agent>(agent: A, ms: number, denied: BlockList): A {
	const create = agent.createConnection.bind(agent) as (options: Record<string, unknown>, ...rest: unknown[]) => Socket;
	agent.createConnection = ((options: Record<string, unknown>, ...rest: unknown[]) => {
		// Literal IP addresses never pass through `lookup`, so they are checked here.
		const host = String(options['host'] ?? '').replace(/^\[|\]$/g, '');
		if (isIP(host) && isAddressDenied(host, denied)) throw new AddressNotAllowedError(host);
		const socket = create({ ...options, lookup: pinnedLookup(denied) }, ...rest);
		armConnectTimeout(socket, ms);
		return socket;
	}) as A['createConnection'];
	return agent;
}

export interface AgentPair {
	http: http.Agent;
	https: https.Agent;
}

const IDLE_SOCKET_MS = 1000;

const agents = new WeakMap<BlockList, Map<number, AgentPair>>();

export function agentsFor(connectTimeoutMs: number, denied: BlockList): AgentPair {
	let byTimeout = agents.get(denied);
	if (!byTimeout) agents.set(denied, (byTimeout = new Map()));
	let pair = byTimeout.get(connectTimeoutMs);
	if (!pair) {
		// Connections are reused, which saves a TCP (and TLS) handshake per call, but an idle one is
		// closed after IDLE_SOCKET_MS: far below any web server's keep-alive timeout, so a reused
		// socket is almost never one the server is closing. If it is, the create counts as possibly
		// sent and the next attempt asks NextPanel before creating again, as after any reset.
		const options = { keepAlive: true, timeout: IDLE_SOCKET_MS };
		pair = {
			http: guarded(new http.Agent(options), connectTimeoutMs, denied),
			https: guarded(new https.Agent(options), connectTimeoutMs, denied),
		};
		byTimeout.set(connectTimeoutMs, pair);
	}
	return pair;
}
