// The control API, on its own port: what tests and demos use to inject faults, manage keys, read
// the call log and inspect or reset state. JSON in, JSON out; errors are `{"error": "..."}`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { patchAccount, seedAccount } from './account-admin.ts';
import {
	publicAccount,
	usageOverrideSchema,
	verifyPassword,
	type PublicAccount,
	type StoredAccount,
	type UsageOverride,
} from './accounts.ts';
import { apiKeySchema } from './auth.ts';
import { seedBulk } from './bulk-seed.ts';
import type { CallFilter } from './call-log.ts';
import { ControlError, parseInput } from './control-error.ts';
import { faultInputSchema } from './faults.ts';
import { jsonReply, readBody, sendReply } from './responses.ts';
import type { SimulatorState } from './simulator-state.ts';
import { statsOf } from './usage.ts';

/** An account as the control API shows it: the public fields plus the server-side ones. */
export interface ControlAccount extends PublicAccount {
	deleted: boolean;
	deleted_at: string | null;
	suspend_reason: string | null;
	usage_override: UsageOverride | null;
}

export function controlView(account: StoredAccount): ControlAccount {
	return {
		...publicAccount(account),
		deleted: account.deleted,
		deleted_at: account.deleted_at,
		suspend_reason: account.suspend_reason,
		usage_override: account.usage_override,
	};
}

interface ControlCall {
	params: string[];
	query: URLSearchParams;
	body: unknown;
}

type Result = { status: number; body: unknown };
type Handler = (sim: SimulatorState, call: ControlCall) => Result | Promise<Result>;

const ok = (body: unknown, status = 200): Result => ({ status, body });

function accountOf(sim: SimulatorState, rawId: string | undefined): StoredAccount {
	const account = sim.accounts.find(Number(rawId));
	if (!account) throw new ControlError(404, `No account with id ${rawId}`);
	return account;
}

function liveAccountOf(sim: SimulatorState, rawId: string | undefined): StoredAccount {
	const account = accountOf(sim, rawId);
	if (account.deleted) throw new ControlError(404, `Account ${rawId} is deleted`);
	return account;
}

const featuresSchema = z.object({ change_password: z.boolean() }).partial().strict();
const passwordCheckSchema = z.object({ password: z.string() });

const ROUTES: [method: string, pattern: RegExp, handler: Handler][] = [
	[
		'GET',
		/^\/control\/health$/,
		(sim) =>
			ok({
				status: 'ok',
				up: sim.isUp(),
				api_url: sim.apiUrl,
				version: sim.version,
				accounts: sim.accounts.live().length,
				faults: sim.faults.list().length,
			}),
	],

	[
		'GET',
		/^\/control\/calls$/,
		(sim, { query }) => {
			const filter: CallFilter = { method: query.get('method') ?? undefined, path: query.get('path') ?? undefined };
			const calls = sim.calls.list(filter);
			return ok({ count: calls.length, calls });
		},
	],
	[
		'DELETE',
		/^\/control\/calls$/,
		(sim) => {
			sim.calls.clear();
			return ok({ count: 0 });
		},
	],

	[
		'GET',
		/^\/control\/accounts$/,
		(sim) => {
			const accounts = sim.accounts.all().map(controlView);
			return ok({ count: accounts.length, accounts });
		},
	],
	[
		'POST',
		/^\/control\/accounts$/,
		// Seeds an account as if created through the API, without a call in the log.
		(sim, { body }) => ok(controlView(seedAccount(sim.accounts, body)), 201),
	],
	['POST', /^\/control\/accounts\/bulk$/, (sim, { body }) => ok(seedBulk(sim.accounts, body, sim.now()), 201)],
	['GET', /^\/control\/accounts\/(\d+)$/, (sim, { params }) => ok(controlView(accountOf(sim, params[0])))],
	[
		'PATCH',
		/^\/control\/accounts\/(\d+)$/,
		(sim, { params, body }) => ok(controlView(patchAccount(sim.accounts, liveAccountOf(sim, params[0]), body))),
	],
	// As NextPanel's admin deletes: gone from the billing API, username free, still on record here.
	['DELETE', /^\/control\/accounts\/(\d+)$/, (sim, { params }) => ok(controlView(sim.accounts.delete(liveAccountOf(sim, params[0]))))],
	[
		'PUT',
		/^\/control\/accounts\/(\d+)\/usage$/,
		(sim, { params, body }) => {
			const account = liveAccountOf(sim, params[0]);
			sim.accounts.setUsage(account, parseInput(usageOverrideSchema.strict(), body, 'usage'));
			return ok(statsOf(account, sim.now()));
		},
	],
	[
		'DELETE',
		/^\/control\/accounts\/(\d+)\/usage$/,
		(sim, { params }) => {
			const account = liveAccountOf(sim, params[0]);
			sim.accounts.setUsage(account, null);
			return ok(statsOf(account, sim.now()));
		},
	],
	[
		'POST',
		/^\/control\/accounts\/(\d+)\/verify-password$/,
		(sim, { params, body }) => {
			const account = accountOf(sim, params[0]);
			return ok({ matches: verifyPassword(parseInput(passwordCheckSchema, body, 'password check').password, account.password_hash) });
		},
	],

	[
		'GET',
		/^\/control\/keys$/,
		(sim) => {
			const keys = sim.keys.list();
			return ok({ count: keys.length, keys });
		},
	],
	['POST', /^\/control\/keys$/, (sim, { body }) => ok(sim.keys.put(parseInput(apiKeySchema, body, 'key')), 201)],
	[
		'DELETE',
		/^\/control\/keys\/([^/]+)$/,
		(sim, { params }) => {
			const keyId = decodeURIComponent(params[0] ?? '');
			if (!sim.keys.remove(keyId)) throw new ControlError(404, `No key ${keyId}`);
			return ok({ deleted: keyId });
		},
	],

	[
		'GET',
		/^\/control\/faults$/,
		(sim) => {
			const faults = sim.faults.list();
			return ok({ count: faults.length, faults });
		},
	],
	['POST', /^\/control\/faults$/, (sim, { body }) => ok(sim.faults.add(parseInput(faultInputSchema, body, 'fault rule')), 201)],
	[
		'DELETE',
		/^\/control\/faults$/,
		(sim) => {
			sim.faults.clear();
			return ok({ count: 0 });
		},
	],
	[
		'DELETE',
		/^\/control\/faults\/(\d+)$/,
		(sim, { params }) => {
			if (!sim.faults.remove(Number(params[0]))) throw new ControlError(404, `No fault rule ${params[0]}`);
			return ok({ deleted: Number(params[0]) });
		},
	],

	['GET', /^\/control\/features$/, (sim) => ok(sim.features)],
	['PUT', /^\/control\/features$/, (sim, { body }) => ok(Object.assign(sim.features, parseInput(featuresSchema, body, 'features')))],

	[
		'POST',
		/^\/control\/down$/,
		async (sim) => {
			await sim.down();
			return ok({ up: false });
		},
	],
	[
		'POST',
		/^\/control\/up$/,
		async (sim) => {
			await sim.up();
			return ok({ up: true });
		},
	],
	[
		'POST',
		/^\/control\/reset$/,
		async (sim) => {
			await sim.reset();
			return ok({ reset: true });
		},
	],
];

async function dispatch(sim: SimulatorState, req: IncomingMessage): Promise<Result> {
	const url = new URL(req.url ?? '/', 'http://control');
	const method = req.method ?? 'GET';
	const path = url.pathname.replace(/\/+$/, '');
	const { bytes, tooLarge } = await readBody(req, 1024 * 1024);
	if (tooLarge) throw new ControlError(413, 'Body over 1 MB');
	let body: unknown;
	try {
		body = bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined;
	} catch {
		throw new ControlError(400, 'The body is not valid JSON');
	}
	for (const [routeMethod, pattern, handler] of ROUTES) {
		const match = pattern.exec(path);
		if (match && routeMethod === method) return handler(sim, { params: match.slice(1), query: url.searchParams, body });
	}
	throw new ControlError(404, `No control route ${method} ${path}`);
}

export async function handleControlRequest(sim: SimulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
	let result: Result;
	try {
		result = await dispatch(sim, req);
	} catch (error) {
		if (req.socket.destroyed) return;
		result =
			error instanceof ControlError
				? { status: error.status, body: { error: error.message, ...(error.issues ? { issues: error.issues } : {}) } }
				: { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
	}
	sendReply(res, jsonReply(result.status, result.body));
}
