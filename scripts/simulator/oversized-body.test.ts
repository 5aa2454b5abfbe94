// The oversized fault's body: valid JSON of exactly the size asked for, in bounded chunks.
import { describe, expect, test } from 'vitest';
import { OVERSIZED_CHUNK_BYTES, oversizedJson } from './oversized-body.ts';

const whole = (bytes: number) => Buffer.concat([...oversizedJson(bytes)]).toString('utf8');

describe('oversizedJson', () => {
	test('every size from 1 to 400 bytes is valid JSON of exactly that size', () => {
		for (let bytes = 1; bytes <= 400; bytes++) {
			const text = whole(bytes);
			expect(Buffer.byteLength(text), `size ${bytes}`).toBe(bytes);
			expect(() => JSON.parse(text), `size ${bytes}: ${text}`).not.toThrow();
		}
	});

	test.each([OVERSIZED_CHUNK_BYTES - 1, OVERSIZED_CHUNK_BYTES, OVERSIZED_CHUNK_BYTES * 3 + 1, 1_000_003])(
		'%i bytes around chunk boundaries: exact, valid, an array of padding strings',
		(bytes) => {
			const text = whole(bytes);
			expect(Buffer.byteLength(text)).toBe(bytes);
			const parsed: unknown = JSON.parse(text);
			expect(Array.isArray(parsed) && parsed.length > 0 && parsed.every((item) => typeof item === 'string')).toBe(true);
		},
	);

	test('256 MB comes as chunks of at most 64 KiB that add up exactly', () => {
		let total = 0;
		let largest = 0;
		let chunks = 0;
		for (const chunk of oversizedJson(268_435_456)) {
			total += chunk.length;
			largest = Math.max(largest, chunk.length);
			chunks++;
		}
		expect(total).toBe(268_435_456);
		expect(largest).toBeLessThanOrEqual(64 * 1024);
		expect(chunks).toBeGreaterThan(4000);
	});
});
