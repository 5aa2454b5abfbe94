// Carries a sealed password from a customer's create (where it is typed) to the hosting account
// created inside it (where it is stored). Within an HTTP request the request scope keeps the
// hand-over private to that request; outside one (a Flow creating a customer) a short-lived
// process-wide map keyed by username does the same job.
import { currentRequestScope } from '../scopes.ts';

const TTL_MS = 60_000;
const outsideRequests = new Map<string, { sealed: string; expires: number }>();

export function stashPassword(username: string, sealed: string): void {
	const scope = currentRequestScope();
	if (scope) {
		scope.passwords.set(username, sealed);
		return;
	}
	const now = Date.now();
	for (const [key, entry] of outsideRequests) if (entry.expires < now) outsideRequests.delete(key);
	outsideRequests.set(username, { sealed, expires: now + TTL_MS });
}

export function takeStashedPassword(username: string): string | null {
	const scope = currentRequestScope();
	const fromScope = scope?.passwords.get(username);
	if (fromScope) {
		scope!.passwords.delete(username);
		return fromScope;
	}
	const entry = outsideRequests.get(username);
	outsideRequests.delete(username);
	return entry && entry.expires >= Date.now() ? entry.sealed : null;
}
