import { describe, expect, test } from 'vitest';
import { displayName, escapeMarkdown } from './markdown.ts';

describe('escapeMarkdown', () => {
	test.each([
		['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert\\(1\\)&gt;'],
		['[click](javascript:alert(1))', '\\[click\\]\\(javascript:alert\\(1\\)\\)'],
		['**bold** _it_ `code`', '\\*\\*bold\\*\\* \\_it\\_ \\`code\\`'],
		['plain_user', 'plain\\_user'],
	])('renders %j as text', (input, expected) => {
		expect(escapeMarkdown(input)).toBe(expected);
	});
});

describe('displayName', () => {
	test('quotes a short name and drops markup characters', () => {
		expect(displayName('<b>alice</b>')).toBe('"balice/b"');
	});

	test('keeps a 100 kB name to a short prefix', () => {
		const shown = displayName('a'.repeat(100_000));
		expect(shown.length).toBeLessThan(80);
		expect(shown).toContain('100000 characters');
	});
});
