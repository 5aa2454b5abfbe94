// Request validation with FastAPI/pydantic v2 error shapes, so a client sees exactly the 422
// bodies a real NextPanel sends.
export interface PydanticIssue {
	type: string;
	loc: (string | number)[];
	msg: string;
	input: unknown;
	ctx?: Record<string, unknown>;
}

export const USERNAME_PATTERN = '^[a-z][a-z0-9_]{2,31}$';
const RESERVED = ['root', 'admin', 'administrator', 'nextpanel', 'www', 'mail', 'ftp', 'mysql', 'postgres', 'nobody'];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface CreateBody {
	username: string;
	email: string;
	password: string;
	full_name: string | null;
	phone: string | null;
	company: string | null;
	package_id: number | null;
	is_admin: boolean;
	billing_id: string | null;
	metadata: Record<string, unknown>;
}

type Check = (value: unknown, loc: (string | number)[]) => PydanticIssue | null;

const stringType: Check = (value, loc) => (typeof value === 'string' ? null : { type: 'string_type', loc, msg: 'Input should be a valid string', input: value });

function requiredString(body: Record<string, unknown>, field: string, extra: (value: string, loc: (string | number)[]) => PydanticIssue | null): PydanticIssue | null {
	const loc = ['body', field];
	if (!(field in body)) return { type: 'missing', loc, msg: 'Field required', input: body };
	return stringType(body[field], loc) ?? extra(body[field] as string, loc);
}

function optional(body: Record<string, unknown>, field: string, check: Check): PydanticIssue | null {
	const value = body[field];
	return value === undefined || value === null ? null : check(value, ['body', field]);
}

export function validateCreate(body: unknown): { ok: true; value: CreateBody } | { ok: false; issues: PydanticIssue[] } {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { ok: false, issues: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body }] };
	}
	const b = body as Record<string, unknown>;
	const issues = [
		requiredString(b, 'username', (value, loc) => {
			if (value.length < 3) return { type: 'string_too_short', loc, msg: 'String should have at least 3 characters', input: value, ctx: { min_length: 3 } };
			if (value.length > 32) return { type: 'string_too_long', loc, msg: 'String should have at most 32 characters', input: value, ctx: { max_length: 32 } };
			if (!new RegExp(USERNAME_PATTERN).test(value)) return { type: 'string_pattern_mismatch', loc, msg: `String should match pattern '${USERNAME_PATTERN}'`, input: value, ctx: { pattern: USERNAME_PATTERN } };
			if (RESERVED.includes(value)) return { type: 'value_error', loc, msg: 'Value error, Username is reserved', input: value, ctx: { error: {} } };
			return null;
		}),
		requiredString(b, 'email', (value, loc) =>
			EMAIL.test(value) ? null : { type: 'value_error', loc, msg: 'value is not a valid email address: An email address must have an @-sign.', input: value, ctx: { reason: 'An email address must have an @-sign.' } },
		),
		requiredString(b, 'password', (value, loc) => {
			if (value.length < 8) return { type: 'string_too_short', loc, msg: 'String should have at least 8 characters', input: value, ctx: { min_length: 8 } };
			if (value.length > 128) return { type: 'string_too_long', loc, msg: 'String should have at most 128 characters', input: value, ctx: { max_length: 128 } };
			return null;
		}),
		optional(b, 'full_name', stringType),
		optional(b, 'phone', stringType),
		optional(b, 'company', stringType),
		optional(b, 'billing_id', stringType),
		optional(b, 'package_id', (value, loc) => (Number.isInteger(value) ? null : { type: 'int_type', loc, msg: 'Input should be a valid integer', input: value })),
		optional(b, 'is_admin', (value, loc) => (typeof value === 'boolean' ? null : { type: 'bool_type', loc, msg: 'Input should be a valid boolean', input: value })),
		optional(b, 'metadata', (value, loc) => (typeof value === 'object' && !Array.isArray(value) ? null : { type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input: value })),
	].filter((issue): issue is PydanticIssue => issue !== null);
	if (issues.length) {
		// pydantic reports the password field's input like any other; a real server would too,
		// so only its value is masked here to keep test logs clean.
		return { ok: false, issues: issues.map((issue) => (issue.loc[1] === 'password' && typeof issue.input === 'string' ? { ...issue, input: '***' } : issue)) };
	}
	return {
		ok: true,
		value: {
			username: b['username'] as string,
			email: b['email'] as string,
			password: b['password'] as string,
			full_name: (b['full_name'] as string | undefined) ?? null,
			phone: (b['phone'] as string | undefined) ?? null,
			company: (b['company'] as string | undefined) ?? null,
			package_id: (b['package_id'] as number | undefined) ?? null,
			is_admin: (b['is_admin'] as boolean | undefined) ?? false,
			billing_id: (b['billing_id'] as string | undefined) ?? null,
			metadata: (b['metadata'] as Record<string, unknown> | undefined) ?? {},
		},
	};
}

export function pathIdIssue(raw: string): PydanticIssue {
	return { type: 'int_parsing', loc: ['path', 'account_id'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw };
}

export function jsonInvalidIssue(error: unknown, position: number): PydanticIssue {
	return { type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error: error instanceof Error ? error.message : 'Expecting value' } };
}
