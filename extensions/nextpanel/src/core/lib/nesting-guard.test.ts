import { describe, expect, test } from 'vitest';
import { nestedDeeperThan } from './nesting-guard.ts';

const arrays = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('nestedDeeperThan', () => {
	test.each([
		[{ a: 1 }, 1, false],
		[{ a: { b: {} } }, 2, true],
		[{ a: { b: {} } }, 3, false],
		[arrays(64), 64, false],
		[arrays(65), 64, true],
		['text', 1, false],
		[null, 1, false],
	])('%j deeper than %i: %s', (value, limit, expected) => {
		expect(nestedDeeperThan(value, limit)).toBe(expected);
	});

	test('5,000 levels are measured without overflowing the stack', () => {
		expect(nestedDeeperThan(arrays(5000), 64)).toBe(true);
	});
});
