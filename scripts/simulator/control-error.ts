// The control API's refusals: a status and a message (plus pydantic's issues for a seed body the
// billing API itself would refuse), turned into `{"error": ...}` by the dispatcher.
import { z } from 'zod';
import type { PydanticIssue } from './validation.ts';

export class ControlError extends Error {
	readonly status: number;
	readonly issues: PydanticIssue[] | undefined;

	constructor(status: number, message: string, issues?: PydanticIssue[]) {
		super(message);
		this.status = status;
		this.issues = issues;
	}
}

/** The input checked against `schema`, or a 400 saying what is wrong with it. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
	const parsed = schema.safeParse(value ?? {});
	if (!parsed.success) throw new ControlError(400, `Invalid ${what}: ${z.prettifyError(parsed.error)}`);
	return parsed.data;
}
