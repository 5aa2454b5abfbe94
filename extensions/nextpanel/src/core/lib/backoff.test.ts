import { describe, expect, test } from 'vitest';
import { backoffMs } from './backoff.ts';

describe('backoffMs', () => {
	test('doubles per attempt, with half of each delay random', () => {
		expect([1, 2, 3, 4].map((n) => backoffMs(n, 100, 10_000, () => 0))).toEqual([50, 100, 200, 400]);
		expect([1, 2, 3, 4].map((n) => backoffMs(n, 100, 10_000, () => 0.999999))).toEqual([100, 200, 400, 800]);
	});

	test('never exceeds the cap', () => {
		expect(backoffMs(40, 500, 60_000, () => 0.999999)).toBe(60_000);
	});
});
