// The control API (its own port): what tests and demos use to inject faults, manage keys, read
// the call log and inspect or reset state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { publicView } from './accounts.ts';
import type { FaultInput } from './faults.ts';
import { LEVELS, type ApiKey, type Level } from './keys.ts';
import { json, readBody, send, type Simulator } from './server.ts';

function parseKey(body: Record<string, unknown>): ApiKey {
	const level = (body['level'] ?? 'SUPER_ADMIN') as Level;
	if (typeof body['key'] !== 'string' || typeof body['secret'] !== 'string') throw new Error('key and secret are required strings');
	if (!LEVELS.includes(level)) throw new Error(`level must be one of ${LEVELS.join(', ')}`);
	return {
		key: body['key'],
		secret: body['secret'],
		level,
		allowed_ips: Array.isArray(body['allowed_ips']) ? body['allowed_ips'].map(String) : [],
		active: body['active'] !== false,
		expires_at: typeof body['expires_at'] === 'string' ? body['expires_at'] : null,
	};
}

export async function handleControl(sim: Simulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://control');
	const method = req.method ?? 'GET';
	const { text } = await readBody(req);
	const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
	const path = url.pathname.replace(/\/+$/, '');
	const reply = (status: number, payload: unknown) => send(res, json(status, payload));

	if (path === '/control/health' && method === 'GET') return reply(200, { up: sim.isUp(), accounts: sim.accounts.live().length });
	if (path === '/control/calls' && method === 'GET') {
		const byMethod = url.searchParams.get('method');
		const byPath = url.searchParams.get('path');
		const calls = sim.calls.filter((c) => (!byMethod || c.method === byMethod.toUpperCase()) && (!byPath || c.path === byPath));
		return reply(200, { count: calls.length, calls });
	}
	if (path === '/control/calls' && method === 'DELETE') {
		sim.calls.length = 0;
		return reply(200, { count: 0 });
	}
	if (path === '/control/accounts' && method === 'GET') {
		return reply(200, { data: sim.accounts.all().map((a) => ({ ...publicView(a), deleted: a.deleted, suspend_reason: a.suspend_reason })) });
	}
	const usage = /^\/control\/accounts\/(\d+)\/usage$/.exec(path);
	if (usage && method === 'PUT') {
		const account = sim.accounts.get(Number(usage[1]));
		if (!account) return reply(404, { error: 'no such account' });
		sim.accounts.update(account, { usage_override: body as Record<string, number> });
		return reply(200, { ok: true });
	}
	if (path === '/control/keys' && method === 'GET') return reply(200, { data: sim.keys.list() });
	if (path === '/control/keys' && method === 'POST') {
		const key = parseKey(body);
		sim.keys.put(key);
		const { secret: _secret, ...visible } = key;
		return reply(201, visible);
	}
	const keyPath = /^\/control\/keys\/(.+)$/.exec(path);
	if (keyPath && method === 'DELETE') return reply(sim.keys.remove(decodeURIComponent(keyPath[1]!)) ? 200 : 404, {});
	if (path === '/control/faults' && method === 'GET') return reply(200, { data: sim.faults.list() });
	if (path === '/control/faults' && method === 'POST') return reply(201, sim.faults.add(body as unknown as FaultInput));
	if (path === '/control/faults' && method === 'DELETE') {
		sim.faults.clear();
		return reply(200, {});
	}
	const faultPath = /^\/control\/faults\/(\d+)$/.exec(path);
	if (faultPath && method === 'DELETE') return reply(sim.faults.remove(Number(faultPath[1])) ? 200 : 404, {});
	if (path === '/control/down' && method === 'POST') {
		await sim.down();
		return reply(200, { up: false });
	}
	if (path === '/control/up' && method === 'POST') {
		await sim.up();
		return reply(200, { up: true });
	}
	if (path === '/control/reset' && method === 'POST') {
		sim.accounts.clear();
		sim.calls.length = 0;
		sim.faults.clear();
		for (const key of sim.keys.list()) sim.keys.remove(key.key);
		for (const key of sim.seedKeys) sim.keys.put(key);
		await sim.up();
		return reply(200, {});
	}
	return reply(404, { error: `no control route ${method} ${path}` });
}
