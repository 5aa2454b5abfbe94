// Directus overflows its stack (a 500) on request bodies nested thousands of levels deep. For the
// collections the plugin hooks, such a body is refused with a 400 before Directus walks it. The
// depth is measured without recursion, and nothing else about the request is touched.
import type { NextFunction, Request, Response } from 'express';
import { InvalidPayloadError } from '../errors.ts';

export const MAX_BODY_DEPTH = 64;

/** Whether `value` nests objects or arrays deeper than `limit` levels. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
	const stack: [unknown, number][] = [[value, 1]];
	while (stack.length) {
		const [current, depth] = stack.pop()!;
		if (current === null || typeof current !== 'object') continue;
		if (depth > limit) return true;
		for (const child of Object.values(current as object)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
	}
	return false;
}

export function nestingGuard(collections: string[]) {
	const paths = new RegExp(`^/items/(${collections.map((c) => c.replace(/[^A-Za-z0-9_]/g, '')).join('|')})(/|$)`);
	return (req: Request, _res: Response, next: NextFunction) => {
		if (req.body && typeof req.body === 'object' && paths.test(req.path) && nestedDeeperThan(req.body, MAX_BODY_DEPTH)) {
			return next(new InvalidPayloadError({ reason: `the request body is nested deeper than ${MAX_BODY_DEPTH} levels` }));
		}
		next();
	};
}
