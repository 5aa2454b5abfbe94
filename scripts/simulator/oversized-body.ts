// The `oversized` fault's answer: a syntactically valid JSON document of exactly the size asked
// for (up to 256 MB), made and sent in chunks so the simulator never holds it whole. An array of
// padding strings, topped up with whitespace (valid between JSON tokens) to hit the size exactly.
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const ITEM = `"${'x'.repeat(62)}"`;
const NEXT_ITEM = `,${ITEM}`;
const ITEMS_PER_CHUNK = 1008;
/** Reused for every full chunk: it is never modified, so handing the same bytes out again is safe. */
const FULL_CHUNK = Buffer.from(NEXT_ITEM.repeat(ITEMS_PER_CHUNK));
/** The largest chunk the body is made of. */
export const OVERSIZED_CHUNK_BYTES = FULL_CHUNK.length;

/** The body, chunk by chunk: `bytes` bytes in all. */
export function* oversizedJson(bytes: number): Generator<Buffer> {
	// The smallest JSON documents: a digit, then an array with only whitespace inside.
	if (bytes < 2) {
		yield Buffer.from('0');
		return;
	}
	const inside = bytes - 2;
	if (inside < ITEM.length) {
		yield Buffer.from(`[${' '.repeat(inside)}]`);
		return;
	}
	let following = Math.floor((inside - ITEM.length) / NEXT_ITEM.length);
	const padding = inside - ITEM.length - following * NEXT_ITEM.length;
	yield Buffer.from(`[${ITEM}`);
	for (; following >= ITEMS_PER_CHUNK; following -= ITEMS_PER_CHUNK) yield FULL_CHUNK;
	yield Buffer.from(`${NEXT_ITEM.repeat(following)}${' '.repeat(padding)}]`);
}

/** Streams it as the API's JSON answer, with its exact content-length. */
export async function sendOversized(res: ServerResponse, status: number, bytes: number): Promise<void> {
	res.writeHead(status, { server: 'uvicorn', 'content-type': 'application/json', 'content-length': bytes });
	await pipeline(Readable.from(oversizedJson(bytes)), res);
}
