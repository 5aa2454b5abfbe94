// A typed client for the simulator's control API, for tests, benchmarks and demos.
import type { CallRecord } from './server.ts';
import type { FaultInput, FaultRule } from './faults.ts';
import type { Level } from './keys.ts';

export interface RemoteAccount {
	id: number;
	username: string;
	email: string;
	status: string;
	billing_id: string | null;
	package_id: number | null;
	company: string | null;
	metadata: Record<string, unknown>;
	deleted: boolean;
	suspend_reason: string | null;
}

export interface KeyInput {
	key: string;
	secret: string;
	level?: Level | string;
	allowed_ips?: string[];
	active?: boolean;
	expires_at?: string;
}

export class SimulatorControl {
	readonly #url: string;

	constructor(controlUrl: string) {
		this.#url = controlUrl.replace(/\/+$/, '');
	}

	async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.#url}/control${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const payload = (await response.json()) as T & { error?: string };
		if (!response.ok) throw new Error(`simulator control ${method} ${path}: ${response.status} ${payload.error ?? ''}`);
		return payload;
	}

	/** Adds or replaces an API key. */
	addKey(key: KeyInput): Promise<unknown> {
		return this.#call('POST', '/keys', key);
	}

	removeKey(key: string): Promise<unknown> {
		return this.#call('DELETE', `/keys/${encodeURIComponent(key)}`);
	}

	/** Adds a fault rule, e.g. `{kind: 'status', status: 503, times: 1, match: {method: 'POST', path: '/api/v1/billing/accounts'}}`. */
	addFault(fault: FaultInput): Promise<FaultRule> {
		return this.#call('POST', '/faults', fault);
	}

	clearFaults(): Promise<unknown> {
		return this.#call('DELETE', '/faults');
	}

	/** Every request the API port received, oldest first. */
	calls(filter: { method?: string; path?: string } = {}): Promise<{ count: number; calls: CallRecord[] }> {
		const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
		return this.#call('GET', `/calls${query ? `?${query}` : ''}`);
	}

	resetCalls(): Promise<unknown> {
		return this.#call('DELETE', '/calls');
	}

	/** All accounts ever created, deleted ones flagged `deleted: true`. */
	async accounts(): Promise<RemoteAccount[]> {
		return (await this.#call<{ data: RemoteAccount[] }>('GET', '/accounts')).data;
	}

	/** Overrides the usage figures the stats route reports for an account. */
	setUsage(accountId: number, usage: Partial<Record<'disk_used_mb' | 'disk_limit_mb' | 'bandwidth_used_mb' | 'bandwidth_limit_mb' | 'inodes_used', number>>): Promise<unknown> {
		return this.#call('PUT', `/accounts/${accountId}/usage`, usage);
	}

	/** Stops listening on the API port: connections are refused until `up()`. */
	down(): Promise<unknown> {
		return this.#call('POST', '/down');
	}

	up(): Promise<unknown> {
		return this.#call('POST', '/up');
	}

	/** Forgets accounts, calls and faults; keys go back to the seeds. */
	reset(): Promise<unknown> {
		return this.#call('POST', '/reset');
	}
}
