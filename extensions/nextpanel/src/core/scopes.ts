// How the core tells its own writes and requests apart from everyone else's, without
// AsyncLocalStorage: in Node 22 that switches on async hooks for every promise of the whole
// Directus process, a cost every request would pay (measured at 2-4 % on plain item saves).
import { randomBytes } from 'node:crypto';

/** A payload key only this process knows the value of. */
const CORE_WRITE_KEY = '$nextpanel_core_write';
const CORE_WRITE_TOKEN = randomBytes(16).toString('hex');

/** Marks a payload as a write of the provisioning core, which may change fields users may not. */
export function asCoreWrite<T extends Record<string, unknown>>(data: T): T {
	return { ...data, [CORE_WRITE_KEY]: CORE_WRITE_TOKEN };
}

/** Removes the marker (Directus would reject the unknown key) and says whether it was genuine. */
export function takeCoreWriteMarker(payload: Record<string, unknown>): boolean {
	if (!(CORE_WRITE_KEY in payload)) return false;
	const genuine = payload[CORE_WRITE_KEY] === CORE_WRITE_TOKEN;
	delete payload[CORE_WRITE_KEY];
	return genuine;
}

/**
 * Usernames whose hosting account is being created by a caller that provisions it itself
 * (endpoint, operation), so the create action hook does not start a second, background run.
 * Usernames are unique, so the name identifies the account.
 */
const callerProvisioned = new Set<string>();

export async function asCallerProvisioning<T>(username: string, create: () => Promise<T>): Promise<T> {
	callerProvisioned.add(username);
	try {
		return await create();
	} finally {
		callerProvisioned.delete(username);
	}
}

export function isCallerProvisioning(username: unknown): boolean {
	return typeof username === 'string' && callerProvisioned.has(username);
}
