// Request bodies decoded the way NextPanel's stack does it (Starlette's `json.loads` on the raw
// bytes), so an invalid body fails with the same message and position a real server reports in
// its `json_invalid` 422. JSON.parse's own errors differ in wording and in where they point.

export type PythonJsonResult = { ok: true; value: unknown } | { ok: false; message: string; position: number };

/** Returned for bytes that are not UTF-8: json.loads raises a UnicodeDecodeError, not a JSON error. */
export const NOT_UTF8 = Symbol('not utf-8');

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes to text as json.loads(bytes) does: UTF-8, a leading BOM dropped. */
export function decodeUtf8(bytes: Buffer): string | typeof NOT_UTF8 {
	try {
		return UTF8.decode(bytes);
	} catch {
		return NOT_UTF8;
	}
}

class DecodeError extends Error {
	readonly position: number;

	constructor(message: string, position: number) {
		super(message);
		this.position = position;
	}
}

/** Thrown where Python's scanner raises StopIteration: "no value starts here". */
class NoValue {
	readonly position: number;

	constructor(position: number) {
		this.position = position;
	}
}

const isWhitespace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\n' || char === '\r';
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const CONSTANTS: [string, unknown][] = [
	['null', null],
	['true', true],
	['false', false],
	['NaN', Number.NaN],
	['Infinity', Number.POSITIVE_INFINITY],
	['-Infinity', Number.NEGATIVE_INFINITY],
];

/** A port of CPython's json scanner (Lib/json/decoder.py, Modules/_json.c), errors included. */
class Scanner {
	readonly #text: string;

	constructor(text: string) {
		this.#text = text;
	}

	skipWhitespace(index: number): number {
		while (isWhitespace(this.#text[index])) index++;
		return index;
	}

	value(index: number): [unknown, number] {
		const text = this.#text;
		const char = text[index];
		if (char === undefined) throw new NoValue(index);
		if (char === '"') return this.string(index + 1);
		if (char === '{') return this.object(index + 1);
		if (char === '[') return this.array(index + 1);
		for (const [word, value] of CONSTANTS) if (text.startsWith(word, index)) return [value, index + word.length];
		NUMBER.lastIndex = index;
		const match = NUMBER.exec(text);
		if (!match) throw new NoValue(index);
		return [Number(match[0]), index + match[0].length];
	}

	string(index: number): [string, number] {
		const text = this.#text;
		const begin = index - 1;
		let result = '';
		for (;;) {
			let next = index;
			while (next < text.length) {
				const char = text[next]!;
				if (char === '"' || char === '\\') break;
				if (char.charCodeAt(0) <= 0x1f) throw new DecodeError('Invalid control character at', next);
				next++;
			}
			if (next >= text.length) throw new DecodeError('Unterminated string starting at', begin);
			result += text.slice(index, next);
			if (text[next] === '"') return [result, next + 1];
			next++;
			if (next === text.length) throw new DecodeError('Unterminated string starting at', begin);
			const escape = text[next]!;
			if (escape !== 'u') {
				const simple = SIMPLE_ESCAPES[escape];
				if (simple === undefined) throw new DecodeError('Invalid \\escape', next - 1);
				result += simple;
				index = next + 1;
				continue;
			}
			const [unit, end] = this.#hex4(next + 1);
			index = end;
			if (unit >= 0xd800 && unit <= 0xdbff && text[index] === '\\' && text[index + 1] === 'u') {
				const [low, afterLow] = this.#hex4(index + 2);
				if (low >= 0xdc00 && low <= 0xdfff) {
					result += String.fromCharCode(unit, low);
					index = afterLow;
					continue;
				}
			}
			result += String.fromCharCode(unit);
		}
	}

	/** Four hex digits starting at `index` (just after `\u`). */
	#hex4(index: number): [number, number] {
		const digits = this.#text.slice(index, index + 4);
		// CPython wants at least one character after the four digits, and blames the "u".
		if (index + 4 >= this.#text.length || !HEX4.test(digits)) throw new DecodeError('Invalid \\uXXXX escape', index - 1);
		return [Number.parseInt(digits, 16), index + 4];
	}

	object(index: number): [Record<string, unknown>, number] {
		const text = this.#text;
		const result: Record<string, unknown> = {};
		index = this.skipWhitespace(index);
		if (text[index] === '}') return [result, index + 1];
		for (;;) {
			if (text[index] !== '"') throw new DecodeError('Expecting property name enclosed in double quotes', index);
			const [key, afterKey] = this.string(index + 1);
			index = this.skipWhitespace(afterKey);
			if (text[index] !== ':') throw new DecodeError("Expecting ':' delimiter", index);
			index = this.skipWhitespace(index + 1);
			const [value, afterValue] = this.#nested(index);
			// A body may say "__proto__"; it must stay a plain key, as it is in Python.
			Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
			index = this.skipWhitespace(afterValue);
			if (text[index] === '}') return [result, index + 1];
			if (text[index] !== ',') throw new DecodeError("Expecting ',' delimiter", index);
			index = this.skipWhitespace(index + 1);
		}
	}

	array(index: number): [unknown[], number] {
		const text = this.#text;
		const result: unknown[] = [];
		index = this.skipWhitespace(index);
		if (text[index] === ']') return [result, index + 1];
		for (;;) {
			const [value, afterValue] = this.#nested(index);
			result.push(value);
			index = this.skipWhitespace(afterValue);
			if (text[index] === ']') return [result, index + 1];
			if (text[index] !== ',') throw new DecodeError("Expecting ',' delimiter", index);
			index = this.skipWhitespace(index + 1);
		}
	}

	#nested(index: number): [unknown, number] {
		try {
			return this.value(index);
		} catch (error) {
			if (error instanceof NoValue) throw new DecodeError('Expecting value', error.position);
			throw error;
		}
	}
}

/** Python counts positions in code points; JavaScript strings index UTF-16 units. */
function codePointIndex(text: string, unitIndex: number): number {
	let count = 0;
	for (const _ of text.slice(0, unitIndex)) count++;
	return count;
}

/** `json.loads(text)`: the value, or CPython's error message and position. */
export function parsePythonJson(text: string): PythonJsonResult {
	const scanner = new Scanner(text);
	try {
		const start = scanner.skipWhitespace(0);
		let value: unknown;
		let end: number;
		try {
			[value, end] = scanner.value(start);
		} catch (error) {
			if (error instanceof NoValue) throw new DecodeError('Expecting value', error.position);
			throw error;
		}
		end = scanner.skipWhitespace(end);
		if (end !== text.length) throw new DecodeError('Extra data', end);
		return { ok: true, value };
	} catch (error) {
		if (error instanceof DecodeError) return { ok: false, message: error.message, position: codePointIndex(text, error.position) };
		throw error;
	}
}

/** Python accepts NaN and Infinity in JSON; nothing downstream of it can serialise them back. */
export function containsNonFiniteNumber(value: unknown): boolean {
	if (typeof value === 'number') return !Number.isFinite(value);
	if (Array.isArray(value)) return value.some(containsNonFiniteNumber);
	if (value !== null && typeof value === 'object') return Object.values(value).some(containsNonFiniteNumber);
	return false;
}
