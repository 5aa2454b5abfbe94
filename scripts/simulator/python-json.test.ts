// The body decoder against CPython's json module: recorded answers, and properties that tie it
// to JSON.parse where the two languages agree.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { containsNonFiniteNumber, decodeUtf8, NOT_UTF8, parsePythonJson } from './python-json.ts';

interface JsonCase {
	input: string;
	ok: boolean;
	message?: string;
	position?: number;
}

const oracle = JSON.parse(readFileSync(new URL('./fixtures/python-oracle.json', import.meta.url), 'utf8')) as { json: JsonCase[] };

describe('parsePythonJson', () => {
	test.each(oracle.json.map((c) => [JSON.stringify(c.input), c] as const))('%s as CPython reads it', (_label, expected) => {
		const result = parsePythonJson(expected.input);
		if (expected.ok) expect(result.ok).toBe(true);
		else expect(result).toEqual({ ok: false, message: expected.message, position: expected.position });
	});

	test('accepts and returns whatever JSON.stringify writes', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				const text = JSON.stringify(value);
				const result = parsePythonJson(text);
				expect(result).toEqual({ ok: true, value: JSON.parse(text) });
			}),
			{ numRuns: 300 },
		);
	});

	test('agrees with JSON.parse on validity for any text without NaN or Infinity', () => {
		const alphabet = fc.constantFrom(...'{}[]",:0123456789-+.eEtrufalsn \\u/\t\n\r\u00e9'.split(''));
		fc.assert(
			fc.property(
				fc.array(alphabet, { maxLength: 16 }).map((chars) => chars.join('')),
				(text) => {
					let jsOk = true;
					try {
						JSON.parse(text);
					} catch {
						jsOk = false;
					}
					// The one place they differ: JSON.parse ignores a leading BOM, json.loads(str) does not; not in this alphabet.
					expect(parsePythonJson(text).ok).toBe(jsOk);
				},
			),
			{ numRuns: 2000 },
		);
	});

	test('reads the constants Python allows', () => {
		expect(parsePythonJson('[NaN, Infinity, -Infinity]')).toEqual({
			ok: true,
			value: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
		});
	});

	test('counts positions in code points, as Python does', () => {
		expect(parsePythonJson('{"\u{1F600}": x}')).toEqual({ ok: false, message: 'Expecting value', position: 6 });
	});

	test('keeps "__proto__" as a plain key', () => {
		const result = parsePythonJson('{"__proto__": {"polluted": true}}');
		expect(result.ok && Object.keys(result.value as object)).toEqual(['__proto__']);
		expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
	});
});

describe('decodeUtf8 and containsNonFiniteNumber', () => {
	test('UTF-8 with or without a BOM decodes; other bytes do not', () => {
		expect(decodeUtf8(Buffer.from('\ufeff{"a": "é"}'))).toBe('{"a": "é"}');
		expect(decodeUtf8(Buffer.from([0x22, 0xff, 0x22]))).toBe(NOT_UTF8);
	});

	test('finds NaN and Infinity anywhere in a value', () => {
		expect(containsNonFiniteNumber({ a: [1, { b: Number.NaN }] })).toBe(true);
		expect(containsNonFiniteNumber({ a: [1, { b: 'NaN' }] })).toBe(false);
	});
});
