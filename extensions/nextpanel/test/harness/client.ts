// Helpers for integration tests: clients for the three kinds of caller, raw HTTP for asserting
// status codes and error bodies, simulator control, and small factories with unique names.
import { randomBytes } from 'node:crypto';
import { createDirectus, createItem, readItem, readItems, rest, staticToken, updateItem } from '@directus/sdk';
import knex, { type Knex } from 'knex';
import { inject } from 'vitest';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { SECRET_PURPOSES, SecretBox } from '../../src/core/secret-box.ts';
import { readMailbox } from '../../../../scripts/lib/mail-catcher.ts';
import type { HarnessInfo } from './info.ts';

export const harness = (): HarnessInfo => inject('harness');

export type Caller = 'admin' | 'operator' | 'viewer' | 'public';

function tokenOf(caller: Caller): string | null {
	const h = harness();
	return caller === 'admin' ? h.adminToken : caller === 'operator' ? h.operatorToken : caller === 'viewer' ? h.viewerToken : null;
}

export function sdk(caller: Exclude<Caller, 'public'> = 'admin') {
	return createDirectus(harness().url)
		.with(staticToken(tokenOf(caller)!))
		.with(rest());
}

export interface ApiResponse<T = any> {
	status: number;
	body: T;
	text: string;
}

/** A raw HTTP call, so tests can assert the exact status and error body a client would get. */
export async function api<T = any>(
	method: string,
	path: string,
	options: { as?: Caller; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
	const token = tokenOf(options.as ?? 'admin');
	const response = await fetch(`${harness().url}${path}`, {
		method,
		headers: {
			...(token ? { Authorization: `Bearer ${token}` } : {}),
			...(options.body !== undefined || options.rawBody !== undefined ? { 'Content-Type': 'application/json' } : {}),
			...options.headers,
		},
		body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
	});
	const text = await response.text();
	let body: any = text;
	try {
		body = JSON.parse(text);
	} catch {
		// not JSON
	}
	return { status: response.status, body, text };
}

export function errorOf(response: ApiResponse): { message: string; code: string } {
	const error = response.body?.errors?.[0];
	return { message: error?.message ?? '', code: error?.extensions?.code ?? '' };
}

export type SimulatorName = 'a' | 'b' | 'c';

export function simulator(name: SimulatorName = 'a'): SimulatorControl {
	return new SimulatorControl(harness().simulators[name].controlUrl);
}

export const unique = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`;

export interface RegisteredServer {
	id: string;
	apiKey: string;
	apiSecret: string;
	simulator: SimulatorName;
	baseUrl: string;
}

/** Registers a NextPanel server in Directus backed by a fresh API key on a simulator. */
export async function registerServer(
	options: {
		simulator?: SimulatorName;
		level?: string;
		capacity?: number;
		status?: 'active' | 'disabled';
		allowedIps?: string[];
		name?: string;
		panelUrl?: string;
	} = {},
): Promise<RegisteredServer> {
	const name = options.simulator ?? 'a';
	const apiKey = unique('npk_');
	const apiSecret = unique('nps_secret_') + randomBytes(8).toString('hex');
	await simulator(name).addKey({
		key: apiKey,
		secret: apiSecret,
		level: options.level ?? 'SUPER_ADMIN',
		...(options.allowedIps ? { allowed_ips: options.allowedIps } : {}),
	});
	const baseUrl = harness().simulators[name].apiUrl;
	const server = await sdk().request(
		createItem('nextpanel_servers', {
			name: options.name ?? unique('Server '),
			base_url: baseUrl,
			api_key: apiKey,
			api_secret: apiSecret,
			capacity: options.capacity ?? 100,
			status: options.status ?? 'active',
			...(options.panelUrl ? { panel_url: options.panelUrl } : {}),
		}),
	);
	return { id: (server as { id: string }).id, apiKey, apiSecret, simulator: name, baseUrl };
}

export async function createCustomer(
	fields: Record<string, unknown> = {},
	caller: Exclude<Caller, 'public'> = 'admin',
): Promise<{ id: string; email: string; full_name: string }> {
	const tag = randomBytes(3).toString('hex');
	const customer = await sdk(caller).request(
		createItem('customers', { full_name: `Test Customer ${tag}`, email: `customer-${tag}@example.com`, ...fields }),
	);
	return customer as { id: string; email: string; full_name: string };
}

export async function readAccount(id: string): Promise<Record<string, any>> {
	return (await sdk().request(readItem('hosting_accounts', id))) as Record<string, any>;
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
	check: () => Promise<T | undefined | false | null>,
	{ timeoutMs = 15_000, intervalMs = 100, what = 'the condition' } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false && value !== null) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

export async function waitForStatus(accountId: string, statuses: string[], timeoutMs = 15_000): Promise<Record<string, any>> {
	return waitFor(
		async () => {
			const account = await readAccount(accountId);
			return statuses.includes(account['status']) ? account : undefined;
		},
		{ timeoutMs, what: `hosting account ${accountId} to become ${statuses.join(' or ')}` },
	);
}

export function mailsTo(address: string) {
	return readMailbox(harness().mailbox).filter((mail) => mail.to.includes(address));
}

/**
 * Direct database access, only for arranging states Directus itself would never allow, such as
 * the row a crashed instance leaves behind.
 */
export function rawDatabase(): Knex {
	const env = harness().databaseEnv;
	if (env['DB_CLIENT'] === 'sqlite3')
		return knex({ client: 'sqlite3', connection: { filename: env['DB_FILENAME']! }, useNullAsDefault: true });
	return knex({
		client: 'pg',
		connection: {
			host: env['DB_HOST'],
			port: Number(env['DB_PORT']),
			database: env['DB_DATABASE'],
			user: env['DB_USER'],
			password: env['DB_PASSWORD'],
		},
	});
}

/**
 * Runs `work` with only the given servers active, so automatic server choice cannot pick a
 * server another test left behind (a BILLING-level key, a full one); the others are restored.
 */
export async function withOnlyServers<T>(serverIds: string[], work: () => Promise<T>): Promise<T> {
	const others = (await sdk().request(
		readItems('nextpanel_servers', { filter: { status: { _eq: 'active' }, id: { _nin: serverIds } }, fields: ['id'], limit: -1 }),
	)) as { id: string }[];
	await Promise.all(others.map((server) => sdk().request(updateItem('nextpanel_servers', server.id, { status: 'disabled' }))));
	try {
		return await work();
	} finally {
		await Promise.all(others.map((server) => sdk().request(updateItem('nextpanel_servers', server.id, { status: 'active' }))));
	}
}

/** A hosting password sealed the way the bundle stores it, for rows a test writes around Directus. */
export function sealedPassword(password: string): string {
	return new SecretBox(harness().encryptionKey).seal(password, SECRET_PURPOSES.hostingPassword);
}
