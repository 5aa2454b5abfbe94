// Reading NextPanel servers for the bundle's own use. The API secret is read straight from the
// table (Directus would hand back "**********") and decrypted only here.
import { callRecorder, type CallScope } from './call-log.ts';
import { NextPanelClient, type NextPanelTimeouts } from './nextpanel/client.ts';
import type { Runtime } from './runtime.ts';
import { SecretBox } from './secret-box.ts';

import { API_SECRET_PURPOSE } from './secret-purposes.ts';

export interface ServerRecord {
	id: string;
	name: string;
	base_url: string;
	api_key: string;
	status: 'active' | 'disabled';
	capacity: number;
}

export interface ServerWithSecret extends ServerRecord {
	api_secret: string;
}

const SERVER_COLUMNS = ['id', 'name', 'base_url', 'api_key', 'status', 'capacity'] as const;

export async function loadServerWithSecret(runtime: Runtime, id: string): Promise<ServerWithSecret | null> {
	const row = await runtime
		.database('nextpanel_servers')
		.select([...SERVER_COLUMNS, 'api_secret'])
		.where({ id })
		.first();
	if (!row) return null;
	// A value written around Directus (raw SQL, an old import) is still plaintext; use it, but say so.
	if (!SecretBox.isSealed(row.api_secret))
		runtime.logger.warn(`nextpanel: the API secret of server "${row.name}" is not encrypted; save it again in the app to encrypt it`);
	const apiSecret = SecretBox.isSealed(row.api_secret) ? runtime.secrets.open(row.api_secret, API_SECRET_PURPOSE) : String(row.api_secret);
	return { ...row, capacity: Number(row.capacity), api_secret: apiSecret };
}

export function timeoutsFor(runtime: Runtime, overrideMs?: number): NextPanelTimeouts {
	const { NEXTPANEL_CONNECT_TIMEOUT_MS, NEXTPANEL_READ_TIMEOUT_MS, NEXTPANEL_WRITE_TIMEOUT_MS } = runtime.config;
	return {
		connectMs: Math.min(NEXTPANEL_CONNECT_TIMEOUT_MS, overrideMs ?? Infinity),
		readMs: overrideMs ?? NEXTPANEL_READ_TIMEOUT_MS,
		writeMs: overrideMs ?? NEXTPANEL_WRITE_TIMEOUT_MS,
	};
}

export function clientForServer(
	runtime: Runtime,
	server: ServerWithSecret,
	scope: Omit<CallScope, 'server'>,
	timeoutMs?: number,
): NextPanelClient {
	return new NextPanelClient(
		{ baseUrl: server.base_url, apiKey: server.api_key, apiSecret: server.api_secret },
		timeoutsFor(runtime, timeoutMs),
		callRecorder(runtime, { ...scope, server: server.id }),
	);
}
