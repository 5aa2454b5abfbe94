// Assertions shared by the suites that a bare matcher would make too weak.
import { expect } from 'vitest';

/**
 * Slack on either side of the window: the database may keep whole seconds only, and the
 * Directus under test may be a different process whose clock is read a moment apart.
 */
const SKEW_MS = 1000;

/**
 * The value is an ISO timestamp with an explicit zone, written between `since` (a `Date.now()`
 * taken before the action that should write it) and now. `toBeTruthy()` would pass for any
 * non-empty value, an old timestamp included.
 */
export function expectRecentTimestamp(value: unknown, since: number): void {
	expect(typeof value, `timestamp ${JSON.stringify(value)} is a string`).toBe('string');
	const text = value as string;
	expect(text, 'timestamp carries its zone').toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/);
	const at = Date.parse(text);
	expect(at, `timestamp ${text} is no earlier than the action (${new Date(since).toISOString()})`).toBeGreaterThanOrEqual(since - SKEW_MS);
	const now = Date.now();
	expect(at, `timestamp ${text} is not in the future (${new Date(now).toISOString()})`).toBeLessThanOrEqual(now + SKEW_MS);
}
