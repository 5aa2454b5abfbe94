// Connection tests of saved and unsaved NextPanel servers, and the capacity overview.
import type { Accountability } from '@directus/types';
import { callRecorder } from './call-log.ts';
import { testConnection, type ConnectionTestResult } from './connection-test.ts';
import { InvalidPayloadError, ItemNotFoundError } from './errors.ts';
import { NextPanelClient } from './nextpanel/client.ts';
import type { Runtime } from './runtime.ts';
import { clientForServer, loadServerWithSecret, timeoutsFor } from './servers.ts';
import { assertUrlAllowed, UrlNotAllowed } from './url-guard.ts';

export interface Credentials {
	base_url: string;
	api_key: string;
	api_secret: string;
}

async function allowedUrl(runtime: Runtime, baseUrl: string): Promise<string> {
	try {
		return (await assertUrlAllowed(baseUrl, runtime.denyList)).toString();
	} catch (error) {
		if (error instanceof UrlNotAllowed) throw new InvalidPayloadError({ reason: `base_url: ${error.message}` });
		throw error;
	}
}

/** Tests credentials typed into a form before they are saved. Nothing is recorded on a server. */
export async function testCredentials(
	runtime: Runtime,
	credentials: Credentials,
	user: string | null,
	serverId: string | null = null,
): Promise<ConnectionTestResult> {
	const timeoutMs = runtime.config.NEXTPANEL_TEST_TIMEOUT_MS;
	const baseUrl = await allowedUrl(runtime, credentials.base_url);
	const client = new NextPanelClient(
		{ baseUrl, apiKey: credentials.api_key, apiSecret: credentials.api_secret },
		timeoutsFor(runtime, timeoutMs),
		callRecorder(runtime, { server: serverId, hostingAccount: null, user }),
	);
	return testConnection(client, timeoutMs);
}

/** Tests a saved server, optionally with some fields replaced by unsaved edits from its form. */
export async function testSavedServer(
	runtime: Runtime,
	id: string,
	user: string | null,
	edits: Partial<Credentials> = {},
): Promise<ConnectionTestResult> {
	const server = await loadServerWithSecret(runtime, id);
	if (!server) throw new ItemNotFoundError({ collection: 'nextpanel_servers', id });
	const credentials = {
		base_url: edits.base_url ?? server.base_url,
		api_key: edits.api_key ?? server.api_key,
		api_secret: edits.api_secret ?? server.api_secret,
	};
	if (edits.base_url) return testCredentials(runtime, credentials, user, id);
	const timeoutMs = runtime.config.NEXTPANEL_TEST_TIMEOUT_MS;
	const client = clientForServer(runtime, { ...server, ...credentials }, { hostingAccount: null, user }, timeoutMs);
	return testConnection(client, timeoutMs);
}

/** Tests a saved server as it is stored and records the outcome on it. */
export async function recordServerCheck(runtime: Runtime, id: string, causedBy: Accountability | null): Promise<ConnectionTestResult> {
	const result = await testSavedServer(runtime, id, causedBy?.user ?? null);
	const schema = await runtime.getSchema();
	const servers = new runtime.services.ItemsService('nextpanel_servers', { schema, knex: runtime.database, accountability: null });
	await servers.updateOne(id, {
		last_check_at: new Date().toISOString(),
		last_check_status: result.status,
		last_check_message: result.message,
		...(result.version ? { version: result.version } : {}),
	});
	return result;
}
