// Async-context markers. Directus calls our filter hooks inside its own service calls, so a
// value set around a service call is visible to the hooks it triggers - and to nothing else.
import { AsyncLocalStorage } from 'node:async_hooks';

const coreWrites = new AsyncLocalStorage<true>();

/** Runs `fn` as a write of the provisioning core, which may change fields users may not. */
export function asCoreWrite<T>(fn: () => Promise<T>): Promise<T> {
	return coreWrites.run(true, fn);
}

export function isCoreWrite(): boolean {
	return coreWrites.getStore() === true;
}

/**
 * Passwords chosen for accounts created in this request, by username. A hosting account
 * created inside a customer's create gets its password from here when its create action runs.
 */
export interface RequestProvisioning {
	passwords: Map<string, string>;
}

const requestScope = new AsyncLocalStorage<RequestProvisioning>();

export function runInRequestScope<T>(fn: () => T): T {
	return requestScope.run({ passwords: new Map() }, fn);
}

export function currentRequestScope(): RequestProvisioning | undefined {
	return requestScope.getStore();
}

const callerProvisions = new AsyncLocalStorage<true>();

/**
 * Marks account creates whose caller provisions them itself (endpoint, operation), so the
 * create action hook does not start a second, background run for them.
 */
export function asCallerProvisioning<T>(fn: () => Promise<T>): Promise<T> {
	return callerProvisions.run(true, fn);
}

export function isCallerProvisioning(): boolean {
	return callerProvisions.getStore() === true;
}
