// NextPanel servers as the bundle uses them: their saved secrets (read straight from the table,
// decrypted only here), a client for each, connection tests of saved and unsaved values, the
// capacity overview, and the check that a new address still holds the server's accounts.
//
// Two rules keep a saved API secret where it belongs:
// - testing anything other than the saved values needs the right to save them (update);
// - a saved secret is only ever sent to the saved base_url: another address needs the secret
//   typed again.
import type { Knex } from 'knex';
import {
	jobOf,
	mayUpdate,
	requireCollectionUpdateAccess,
	requireUpdateAccess,
	readAsCaller,
	type AccessContext,
	type ServiceOptions,
} from './access.ts';
import { LIVE, type AccountStatus } from '../shared/account-states.ts';
import { InvalidPayloadError, ItemNotFoundError, SecretRequiredError, StateConflictError } from './errors.ts';
import { callRecorder, type CallScope } from './lib/call-log.ts';
import { serverUsage, type ServerUsage } from './lib/capacity.ts';
import { testConnection, type ConnectionTestResult } from './lib/connection-test.ts';
import { assertUrlAllowed, UrlNotAllowed } from './lib/url-guard.ts';
import { NextPanelClient, normalizeBaseUrl, type NextPanelTimeouts } from './nextpanel/client.ts';
import type { NextPanelAccount } from './nextpanel/contract.ts';
import { NextPanelFailure } from './nextpanel/failure.ts';
import type { Runtime } from './runtime.ts';
import { SECRET_PURPOSES, SecretBox } from './secret-box.ts';
import { mapLimited } from '../shared/map-limited.ts';
import { describeIssues } from '../shared/api-schemas.ts';
import { packageListSchema, parsePackages, type ServerPackage } from '../shared/packages.ts';

export interface Credentials {
	base_url: string;
	api_key: string;
	api_secret: string;
}

export interface ServerRecord {
	id: string;
	name: string;
	base_url: string;
	api_key: string;
	status: 'active' | 'disabled';
	capacity: number;
	packages: ServerPackage[];
}

export interface ServerWithSecret extends ServerRecord {
	api_secret: string;
}

export type ServerCapacity = ServerUsage;

const SERVER_COLUMNS = ['id', 'name', 'base_url', 'api_key', 'status', 'capacity', 'packages'] as const;

export class NextPanelServersService {
	readonly #runtime: Runtime;
	readonly #access: AccessContext;
	readonly #user: string | null;
	readonly #actor: string | null;

	constructor({ runtime, schema, accountability, knex = runtime.database }: ServiceOptions) {
		this.#runtime = runtime;
		this.#access = { runtime, schema, accountability, knex };
		this.#user = accountability?.user ?? null;
		const job = jobOf(accountability);
		this.#actor = job ? `${job} job` : null;
	}

	get #knex(): Knex {
		return this.#access.knex;
	}

	async loadWithSecret(id: string): Promise<ServerWithSecret | null> {
		const row = await this.#knex('nextpanel_servers')
			.select([...SERVER_COLUMNS, 'api_secret'])
			.where({ id })
			.first();
		return row ? this.withSecret(row) : null;
	}

	/** A server row as read from the table, its secret opened. */
	withSecret(row: { api_secret: unknown; name: unknown; [column: string]: unknown }): ServerWithSecret {
		const sealed = SecretBox.isSealed(row.api_secret);
		// A value written around Directus (raw SQL, an old import) is still plaintext; use it, but say so.
		if (!sealed)
			this.#runtime.logger.warn(
				`nextpanel: the API secret of server "${row.name}" is not encrypted; save it again in the app to encrypt it`,
			);
		return {
			id: String(row['id']),
			name: String(row.name),
			base_url: String(row['base_url']),
			api_key: String(row['api_key']),
			status: row['status'] === 'active' ? 'active' : 'disabled',
			capacity: Number(row['capacity']),
			packages: parsePackages(row['packages']),
			api_secret: sealed ? this.#runtime.secrets().open(row.api_secret as string, SECRET_PURPOSES.apiSecret) : String(row.api_secret),
		};
	}

	async requireWithSecret(id: string): Promise<ServerWithSecret> {
		const server = await this.loadWithSecret(id);
		if (!server) throw new ItemNotFoundError({ collection: 'nextpanel_servers', id });
		return server;
	}

	timeouts(overrideMs?: number): NextPanelTimeouts {
		const { NEXTPANEL_CONNECT_TIMEOUT_MS, NEXTPANEL_READ_TIMEOUT_MS, NEXTPANEL_WRITE_TIMEOUT_MS } = this.#runtime.config;
		return {
			connectMs: Math.min(NEXTPANEL_CONNECT_TIMEOUT_MS, overrideMs ?? Infinity),
			readMs: overrideMs ?? NEXTPANEL_READ_TIMEOUT_MS,
			writeMs: overrideMs ?? NEXTPANEL_WRITE_TIMEOUT_MS,
		};
	}

	/** A client for exactly these credentials; calls are logged under `scope`. */
	client({
		credentials,
		scope,
		timeoutMs,
	}: {
		credentials: Credentials;
		scope: Omit<CallScope, 'user'>;
		timeoutMs?: number | undefined;
	}): NextPanelClient {
		const { config, denyList, logger } = this.#runtime;
		return new NextPanelClient({
			endpoint: { baseUrl: credentials.base_url, apiKey: credentials.api_key, apiSecret: credentials.api_secret },
			timeouts: this.timeouts(timeoutMs),
			limits: {
				maxResponseBytes: config.NEXTPANEL_MAX_RESPONSE_BYTES,
				maxListResponseBytes: config.NEXTPANEL_MAX_LIST_RESPONSE_BYTES,
				denyList,
			},
			record: callRecorder({ knex: this.#runtime.database, logger, scope: { ...scope, user: this.#user, actor: this.#actor } }),
		});
	}

	/** A client for a saved server: its saved secret goes to its saved address and nowhere else. */
	clientFor({
		server,
		hostingAccount = null,
		timeoutMs,
	}: {
		server: ServerWithSecret;
		/** The account the calls are about, for the call log. */
		hostingAccount?: string | null;
		timeoutMs?: number | undefined;
	}): NextPanelClient {
		return this.client({ credentials: server, scope: { server: server.id, hostingAccount }, timeoutMs });
	}

	async #allowedUrl(baseUrl: string): Promise<string> {
		try {
			return normalizeBaseUrl((await assertUrlAllowed(baseUrl, this.#runtime.denyList)).toString());
		} catch (error) {
			if (error instanceof UrlNotAllowed) throw new InvalidPayloadError({ reason: `base_url: ${error.message}` });
			throw error;
		}
	}

	/** Tests credentials typed into a new server's form. Needs the right to save servers. */
	async testCredentials(credentials: Credentials): Promise<ConnectionTestResult> {
		await requireCollectionUpdateAccess(this.#access, 'nextpanel_servers', 'test NextPanel server credentials');
		const timeoutMs = this.#runtime.config.NEXTPANEL_TEST_TIMEOUT_MS;
		const baseUrl = await this.#allowedUrl(credentials.base_url);
		return testConnection(
			this.client({ credentials: { ...credentials, base_url: baseUrl }, scope: { server: null, hostingAccount: null }, timeoutMs }),
			timeoutMs,
		);
	}

	/**
	 * Tests a saved server. With no edits (or edits equal to the saved values) it tests what is
	 * saved and records the outcome on the server, which needs read access. Anything else is a
	 * test of unsaved values: it needs update access, is not recorded on the server, and a new
	 * address needs the secret typed again.
	 */
	async testSaved(id: string, edits: Partial<Credentials> = {}): Promise<ConnectionTestResult> {
		await readAsCaller(this.#access, 'nextpanel_servers', id, ['id']);
		const server = await this.requireWithSecret(id);
		const changed = (Object.keys(edits) as (keyof Credentials)[]).filter((field) => {
			const value = edits[field];
			if (value === undefined) return false;
			return field === 'base_url' ? normalizeBaseUrl(value) !== normalizeBaseUrl(server.base_url) : value !== server[field];
		});
		if (changed.length === 0) {
			// A reader may test the saved server, but only someone who may edit it changes what it records.
			if (await mayUpdate(this.#access, 'nextpanel_servers', id)) return this.recordCheck(id, server);
			const timeoutMs = this.#runtime.config.NEXTPANEL_TEST_TIMEOUT_MS;
			return testConnection(this.clientFor({ server, timeoutMs }), timeoutMs);
		}

		await requireUpdateAccess(this.#access, 'nextpanel_servers', id, 'test other values than the saved ones of this NextPanel server');
		if (changed.includes('base_url') && edits.api_secret === undefined) {
			throw new SecretRequiredError({
				reason: 'api_secret: enter the API secret to test another address; a saved secret is only ever sent to the saved base_url',
			});
		}
		const timeoutMs = this.#runtime.config.NEXTPANEL_TEST_TIMEOUT_MS;
		const credentials: Credentials = {
			base_url: changed.includes('base_url') ? await this.#allowedUrl(edits.base_url!) : server.base_url,
			api_key: edits.api_key ?? server.api_key,
			api_secret: edits.api_secret ?? server.api_secret,
		};
		// Logged as a test of unsaved values, not against the saved server, whose own health it says nothing about.
		return testConnection(this.client({ credentials, scope: { server: null, hostingAccount: null }, timeoutMs }), timeoutMs);
	}

	/** Tests a saved server as it is stored and records the outcome on it (as the system). */
	async recordCheck(id: string, loaded?: ServerWithSecret): Promise<ConnectionTestResult> {
		const server = loaded ?? (await this.requireWithSecret(id));
		const timeoutMs = this.#runtime.config.NEXTPANEL_TEST_TIMEOUT_MS;
		const result = await testConnection(this.clientFor({ server, timeoutMs }), timeoutMs);
		const sudoServers = new this.#runtime.services.ItemsService('nextpanel_servers', {
			schema: this.#access.schema,
			knex: this.#knex,
			accountability: null,
		});
		await sudoServers.updateOne(
			id,
			{
				last_check_at: new Date().toISOString(),
				last_check_status: result.status,
				last_check_message: result.message,
				...(result.version ? { version: result.version } : {}),
			},
			{ emitEvents: false },
		);
		return result;
	}

	/** Capacity of the servers the caller may read. */
	async capacity(): Promise<ServerCapacity[]> {
		const servers = new this.#runtime.services.ItemsService('nextpanel_servers', {
			schema: this.#access.schema,
			accountability: this.#access.accountability,
			knex: this.#knex,
		});
		const readable = (await servers.readByQuery({ fields: ['id'], limit: -1 })) as { id: string }[];
		return serverUsage(this.#knex, { ids: readable.map((s) => String(s.id)) });
	}

	/**
	 * Before a server's address changes: every account that lives on it must be found at the new
	 * address under the same id, username and billing id, or the change is refused. Otherwise
	 * suspend and terminate would act on whatever another panel holds at those ids.
	 */
	async verifyNewAddress(id: string, credentials: Credentials): Promise<void> {
		// Accounts linked to a NextPanel id; one still being created is looked up by name later anyway.
		const live = (await this.#knex('hosting_accounts')
			.select('username', 'nextpanel_account_id', 'remote_billing_id')
			.where({ server: id })
			.whereIn('status', LIVE as AccountStatus[])
			.whereNotNull('nextpanel_account_id')) as {
			username: string;
			nextpanel_account_id: number | string;
			remote_billing_id: string | null;
		}[];
		if (live.length === 0) return;
		let remote: NextPanelAccount[];
		try {
			remote = await this.client({ credentials, scope: { server: id, hostingAccount: null } }).listAccounts();
		} catch (error) {
			if (!(error instanceof NextPanelFailure)) throw error;
			throw new StateConflictError({
				reason: `base_url: this server has ${live.length} live hosting account(s), and they could not be checked at the new address: ${error.message} A new address must hold the same accounts; fix the address or the credentials and save again.`,
			});
		}
		const byId = new Map(remote.map((account) => [account.id, account]));
		const missing = live.filter((account) => {
			const found = byId.get(Number(account.nextpanel_account_id));
			return !found || found.username !== account.username || (found.billing_id ?? null) !== account.remote_billing_id;
		});
		if (missing.length) {
			const names = missing.slice(0, 5).map((a) => `"${a.username}"`);
			throw new StateConflictError({
				reason: `base_url: the new address does not hold ${missing.length} of this server's ${live.length} live hosting account(s) (${names.join(', ')}${missing.length > 5 ? ', ...' : ''}) under the same ids. Moving a server to another panel would make suspend and terminate act on other people's accounts. Use the new address only for the same NextPanel server; for a different panel, add a new server.`,
			});
		}
	}

	/** A connection test of every active server, recorded on the server (the health schedule). */
	async checkAll(): Promise<{ job: string; processed: number; failed: number }> {
		const rows = await this.#knex('nextpanel_servers').select('id').where({ status: 'active' });
		const results = await mapLimited(rows, 4, (row) => this.recordCheck(String(row.id)).then((result) => result.ok));
		return { job: 'health', processed: rows.length, failed: results.filter((ok) => !ok).length };
	}

	/**
	 * A server saved through the item API or the app: the address must be allowed, the API secret
	 * is encrypted before anything is written (so revisions only ever see the mask), an edit that
	 * does not re-enter the secret keeps the saved one, and a new address needs the secret again
	 * and must hold the server's live accounts.
	 */
	async prepareSave(
		payload: Record<string, unknown>,
		{ creating, keys = [] }: { creating: boolean; keys?: string[] },
	): Promise<Record<string, unknown>> {
		if ('packages' in payload && payload['packages'] !== null) {
			const parsed = packageListSchema.safeParse(
				typeof payload['packages'] === 'string' ? safeJson(payload['packages']) : payload['packages'],
			);
			if (!parsed.success) throw new InvalidPayloadError({ reason: `packages: ${describeIssues(parsed.error)}` });
			payload['packages'] = parsed.data;
		}
		if ('panel_url' in payload) payload['panel_url'] = panelUrl(payload['panel_url']);
		const secret: unknown = payload['api_secret'];
		const keepsSecret = !('api_secret' in payload) || secret === CONCEALED || secret === '' || secret === null || secret === undefined;
		if (keepsSecret) {
			if (creating) throw new InvalidPayloadError({ reason: 'api_secret: enter the API secret (it is never shown again after saving)' });
			delete payload['api_secret'];
		} else if (typeof secret !== 'string') {
			throw new InvalidPayloadError({ reason: 'api_secret: must be text' });
		}
		if ('base_url' in payload) {
			if (typeof payload['base_url'] !== 'string') throw new InvalidPayloadError({ reason: 'base_url: must be text' });
			payload['base_url'] = await this.#allowedUrl(payload['base_url']);
			if (!creating) await this.#checkAddressChange(payload, keys, keepsSecret ? null : (secret as string).trim());
		}
		if (!keepsSecret && !SecretBox.isSealed(secret)) {
			payload['api_secret'] = this.#runtime.secrets().seal((secret as string).trim(), SECRET_PURPOSES.apiSecret);
		}
		return payload;
	}

	async #checkAddressChange(payload: Record<string, unknown>, keys: string[], newSecret: string | null): Promise<void> {
		const newUrl = payload['base_url'] as string;
		for (const id of keys) {
			const server = await this.loadWithSecret(id);
			if (!server || normalizeBaseUrl(server.base_url) === newUrl) continue;
			if (newSecret === null) {
				throw new SecretRequiredError({
					reason: `api_secret: enter the API secret again to move "${server.name}" to another address; a saved secret is only ever sent to the saved base_url`,
				});
			}
			const apiKey = typeof payload['api_key'] === 'string' ? payload['api_key'].trim() : server.api_key;
			await this.verifyNewAddress(id, { base_url: newUrl, api_key: apiKey, api_secret: newSecret });
		}
	}
}

/** What Directus shows for a concealed field; sent back unchanged it means "keep the saved one". */
const CONCEALED = '**********';

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** Where customers sign in: an address for people, never called by the plugin, so only its form is checked. */
function panelUrl(value: unknown): string | null {
	if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
	if (typeof value !== 'string' || !/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(value.trim())) {
		throw new InvalidPayloadError({
			reason: 'panel_url: enter the control panel address, starting with http:// or https://, or leave it empty',
		});
	}
	return value.trim();
}
