// A typed client for the simulator's control API, for tests, benchmarks and demos in other parts
// of the project. Every method throws an Error naming the route and the simulator's message
// when the control API refuses.
import type { AccountPatch } from './account-admin.ts';
import type { SeedFields, UsageOverride } from './accounts.ts';
import type { ApiKeyInput, Level, VisibleKey } from './auth.ts';
import type { BillingFeatures } from './billing-api.ts';
import type { BulkSeedInput, BulkSeedResult } from './bulk-seed.ts';
import type { CallFilter, CallRecord } from './call-log.ts';
import type { ControlAccount } from './control.ts';
import type { FaultInput, FaultRule } from './faults.ts';
import type { AccountStats } from './usage.ts';
import type { CreateAccountInput } from './validation.ts';

export type { AccountPatch, BulkSeedInput, BulkSeedResult, CallRecord, ControlAccount, FaultInput, FaultRule, Level };

/** An account as the control API reports it (deleted ones included, flagged). */
export type RemoteAccount = ControlAccount;

/** A key to add; `level` is checked by the simulator, so any string is accepted here. */
export type KeyInput = Omit<ApiKeyInput, 'level'> & { level?: Level | (string & {}) };

/**
 * Fields for seeding an account directly; only username, email and password are required.
 * `id` seeds with exactly that (unused) id, `status` and `created_at` (ISO) set its state and age.
 */
export type SeedAccountInput = Pick<CreateAccountInput, 'username' | 'email' | 'password'> &
	Partial<Omit<CreateAccountInput, 'username' | 'email' | 'password'>> &
	SeedFields;

export interface SimulatorHealth {
	status: 'ok';
	up: boolean;
	api_url: string;
	version: string;
	accounts: number;
	faults: number;
}

export class SimulatorControl {
	readonly #url: string;

	/** @param controlUrl the simulator's control URL, e.g. `http://127.0.0.1:4011` */
	constructor(controlUrl: string) {
		this.#url = controlUrl.replace(/\/+$/, '');
	}

	async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.#url}/control${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? null : JSON.stringify(body),
		});
		const text = await response.text();
		let payload: unknown;
		try {
			payload = JSON.parse(text);
		} catch {
			payload = { error: text };
		}
		if (!response.ok) {
			const message = (payload as { error?: unknown }).error;
			throw new Error(`simulator control ${method} ${path} failed with ${response.status}: ${String(message ?? text)}`);
		}
		return payload as T;
	}

	/** Whether the API port is up, plus a few counts. */
	health(): Promise<SimulatorHealth> {
		return this.#call('GET', '/health');
	}

	/** Adds an API key, or replaces the one with the same id. Returns it without the secret. */
	addKey(key: KeyInput): Promise<VisibleKey> {
		return this.#call('POST', '/keys', key);
	}

	/** Removes an API key; later calls with it get 401. */
	async removeKey(keyId: string): Promise<void> {
		await this.#call('DELETE', `/keys/${encodeURIComponent(keyId)}`);
	}

	/** The keys in force, without secrets. */
	async keys(): Promise<VisibleKey[]> {
		return (await this.#call<{ keys: VisibleKey[] }>('GET', '/keys')).keys;
	}

	/** Adds a fault rule, e.g. `{kind: 'status', status: 503, times: 1, match: {method: 'POST', path: '/api/v1/billing/accounts'}}`. */
	addFault(fault: FaultInput): Promise<FaultRule> {
		return this.#call('POST', '/faults', fault);
	}

	/** The rules in force, with how often each has seen and applied to a request. */
	async faults(): Promise<FaultRule[]> {
		return (await this.#call<{ faults: FaultRule[] }>('GET', '/faults')).faults;
	}

	/** Removes one fault rule by the id addFault returned. */
	async removeFault(id: number): Promise<void> {
		await this.#call('DELETE', `/faults/${id}`);
	}

	/** Removes every fault rule. */
	async clearFaults(): Promise<void> {
		await this.#call('DELETE', '/faults');
	}

	/** Requests the API port received, oldest first; `path` may use `*` wildcards. */
	calls(filter: CallFilter = {}): Promise<{ count: number; calls: CallRecord[] }> {
		const query = new URLSearchParams();
		if (filter.method) query.set('method', filter.method);
		if (filter.path) query.set('path', filter.path);
		const search = query.toString();
		return this.#call('GET', `/calls${search ? `?${search}` : ''}`);
	}

	/** Empties the call log. */
	async resetCalls(): Promise<void> {
		await this.#call('DELETE', '/calls');
	}

	/** All accounts ever created, deleted ones flagged `deleted: true`. */
	async accounts(): Promise<RemoteAccount[]> {
		return (await this.#call<{ accounts: RemoteAccount[] }>('GET', '/accounts')).accounts;
	}

	/** One account by id, deleted or not. */
	account(id: number): Promise<RemoteAccount> {
		return this.#call('GET', `/accounts/${id}`);
	}

	/**
	 * Creates an account directly (no API call, nothing in the call log), e.g. to occupy a username,
	 * or to have an old (`created_at`), suspended (`status`) or particular (`id`) one.
	 */
	seedAccount(account: SeedAccountInput): Promise<RemoteAccount> {
		return this.#call('POST', '/accounts', account);
	}

	/**
	 * Seeds many accounts at once (no API calls, no passwords: verifyPassword says false for them),
	 * e.g. `{count: 10_000, billing_id_prefix: 'cust-', suspended_every: 10}` for user00001..user10000.
	 */
	seedBulk(options: BulkSeedInput): Promise<BulkSeedResult> {
		return this.#call('POST', '/accounts/bulk', options);
	}

	/**
	 * Changes an account as NextPanel's admin would in the panel itself (no API call, nothing in the
	 * call log), e.g. `{status: 'suspended', suspend_reason: 'abuse'}` or `{username: 'renamed'}`.
	 */
	updateAccount(id: number, patch: AccountPatch): Promise<RemoteAccount> {
		return this.#call('PATCH', `/accounts/${id}`, patch);
	}

	/** Deletes an account as NextPanel's admin would: the billing API answers 404 for it from then on. */
	deleteAccount(id: number): Promise<RemoteAccount> {
		return this.#call('DELETE', `/accounts/${id}`);
	}

	/** Pins usage figures the stats route reports (merged with earlier ones); returns the stats now. */
	setUsage(accountId: number, usage: UsageOverride): Promise<AccountStats> {
		return this.#call('PUT', `/accounts/${accountId}/usage`, usage);
	}

	/** Drops pinned usage figures: the stats grow with the account's age again. */
	clearUsage(accountId: number): Promise<AccountStats> {
		return this.#call('DELETE', `/accounts/${accountId}/usage`);
	}

	/** Whether `password` is the account's password (the simulator keeps only a hash). */
	async verifyPassword(accountId: number, password: string): Promise<boolean> {
		return (await this.#call<{ matches: boolean }>('POST', `/accounts/${accountId}/verify-password`, { password })).matches;
	}

	/** Turns optional routes on or off (e.g. `{change_password: true}`); returns all features. */
	setFeatures(features: Partial<BillingFeatures>): Promise<BillingFeatures> {
		return this.#call('PUT', '/features', features);
	}

	/** Stops listening on the API port: connections are refused until `up()`. */
	async down(): Promise<void> {
		await this.#call('POST', '/down');
	}

	/** Listens on the same API port again. */
	async up(): Promise<void> {
		await this.#call('POST', '/up');
	}

	/** Forgets accounts, calls and faults; keys and features go back to the start; the API comes up. */
	async reset(): Promise<void> {
		await this.#call('POST', '/reset');
	}
}
