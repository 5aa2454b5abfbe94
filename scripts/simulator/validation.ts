// Request validation with FastAPI/pydantic v2 semantics: the same lax conversions ("5" is a valid
// package id, "yes" a valid boolean), the same error types, messages, locations and inputs, in
// field order, so a client sees exactly the 422 bodies a real NextPanel sends.
import { z } from 'zod';
import { checkEmail } from './email-address.ts';

export const pydanticIssueSchema = z.object({
	type: z.string(),
	loc: z.array(z.union([z.string(), z.number()])),
	msg: z.string(),
	input: z.unknown(),
	ctx: z.record(z.string(), z.unknown()).optional(),
});
export type PydanticIssue = z.infer<typeof pydanticIssueSchema>;

/** A request body as FastAPI hands it to validation: absent, or the decoded JSON (or raw text). */
export type RequestBody = { present: false } | { present: true; value: unknown };

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: PydanticIssue[] };

export const USERNAME_PATTERN = '^[a-z][a-z0-9_]{2,31}$';
export const RESERVED_USERNAMES = ['root', 'admin', 'administrator', 'nextpanel', 'www', 'mail', 'ftp', 'mysql', 'postgres', 'nobody'];
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

type Problem = Omit<PydanticIssue, 'loc'>;
type FieldResult = { ok: true; value: unknown } | { ok: false; problem: Problem };
type FieldValidator = (input: unknown) => FieldResult;

const pass = (value: unknown): FieldResult => ({ ok: true, value });
/** A field's problem placed at `loc`, keys in pydantic's order. */
const located = ({ type, msg, input, ctx }: Problem, loc: PydanticIssue['loc']): PydanticIssue =>
	ctx ? { type, loc, msg, input, ctx } : { type, loc, msg, input };
const fail = (type: string, msg: string, input: unknown, ctx?: Record<string, unknown>): FieldResult => ({
	ok: false,
	problem: ctx ? { type, msg, input, ctx } : { type, msg, input },
});
const codePoints = (text: string) => [...text].length;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const str: FieldValidator = (input) =>
	typeof input === 'string' ? pass(input) : fail('string_type', 'Input should be a valid string', input);

function constrainedStr(constraints: { minLength?: number; maxLength?: number; pattern?: string }): FieldValidator {
	const pattern = constraints.pattern === undefined ? null : new RegExp(constraints.pattern);
	return (input) => {
		if (typeof input !== 'string') return str(input);
		const { minLength, maxLength } = constraints;
		if (minLength !== undefined && codePoints(input) < minLength)
			return fail('string_too_short', `String should have at least ${minLength} character${minLength === 1 ? '' : 's'}`, input, {
				min_length: minLength,
			});
		if (maxLength !== undefined && codePoints(input) > maxLength)
			return fail('string_too_long', `String should have at most ${maxLength} character${maxLength === 1 ? '' : 's'}`, input, {
				max_length: maxLength,
			});
		if (pattern && !pattern.test(input))
			return fail('string_pattern_mismatch', `String should match pattern '${constraints.pattern}'`, input, {
				pattern: constraints.pattern,
			});
		return pass(input);
	};
}

/** A pydantic `field_validator` raising ValueError(message). */
function withCheck(validator: FieldValidator, check: (value: string) => string | null): FieldValidator {
	return (input) => {
		const result = validator(input);
		if (!result.ok) return result;
		const message = check(result.value as string);
		// FastAPI's encoder turns the ValueError in ctx into {}.
		return message === null ? result : fail('value_error', `Value error, ${message}`, input, { error: {} });
	};
}

const emailStr: FieldValidator = (input) => {
	if (typeof input !== 'string') return str(input);
	const checked = checkEmail(input);
	return checked.ok
		? pass(checked.normalized)
		: fail('value_error', `value is not a valid email address: ${checked.reason}`, input, { reason: checked.reason });
};

const INTEGER_STRING = /^[+-]?\d+(?:_\d+)*(?:\.0+)?$/;

const int: FieldValidator = (input) => {
	if (typeof input === 'boolean') return pass(input ? 1 : 0);
	if (typeof input === 'number') {
		if (!Number.isFinite(input)) return fail('finite_number', 'Input should be a finite number', input);
		return Number.isInteger(input)
			? pass(input === 0 ? 0 : input)
			: fail('int_from_float', 'Input should be a valid integer, got a number with a fractional part', input);
	}
	if (typeof input === 'string') {
		const trimmed = input.trim();
		return INTEGER_STRING.test(trimmed)
			? pass(Number(trimmed.replaceAll('_', '').replace(/\.0+$/, '')))
			: fail('int_parsing', 'Input should be a valid integer, unable to parse string as an integer', input);
	}
	return fail('int_type', 'Input should be a valid integer', input);
};

const TRUE_STRINGS = ['1', 'on', 't', 'true', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'off', 'f', 'false', 'n', 'no'];

const bool: FieldValidator = (input) => {
	if (typeof input === 'boolean') return pass(input);
	const unreadable = () => fail('bool_parsing', 'Input should be a valid boolean, unable to interpret input', input);
	if (typeof input === 'number') {
		if (input === 0 || input === 1) return pass(input === 1);
		return Number.isInteger(input) ? unreadable() : fail('bool_type', 'Input should be a valid boolean', input);
	}
	if (typeof input === 'string') {
		const lower = input.toLowerCase();
		if (TRUE_STRINGS.includes(lower)) return pass(true);
		return FALSE_STRINGS.includes(lower) ? pass(false) : unreadable();
	}
	return fail('bool_type', 'Input should be a valid boolean', input);
};

const dict: FieldValidator = (input) =>
	isPlainObject(input) ? pass(input) : fail('dict_type', 'Input should be a valid dictionary', input);

const optional =
	(validator: FieldValidator): FieldValidator =>
	(input) =>
		input === null ? pass(null) : validator(input);

interface Field {
	name: string;
	validate: FieldValidator;
	/** Absent from the body: required (undefined) or this default. */
	default?: () => unknown;
}

/** Validates a body against an ordered list of fields, as pydantic does a model. */
function validateModel(body: RequestBody, fields: Field[], bodyRequired: boolean): Validated<Record<string, unknown>> {
	const missingBody = !body.present || body.value === null;
	if (missingBody) {
		if (bodyRequired) return { ok: false, issues: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] };
		return validateModel({ present: true, value: {} }, fields, true);
	}
	const input = body.value;
	if (!isPlainObject(input))
		return {
			ok: false,
			issues: [
				{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input },
			],
		};
	const issues: PydanticIssue[] = [];
	const value: Record<string, unknown> = {};
	for (const field of fields) {
		if (!Object.hasOwn(input, field.name)) {
			if (field.default) value[field.name] = field.default();
			else issues.push({ type: 'missing', loc: ['body', field.name], msg: 'Field required', input });
			continue;
		}
		const result = field.validate(input[field.name]);
		if (result.ok) value[field.name] = result.value;
		else issues.push(located(result.problem, ['body', field.name]));
	}
	return issues.length ? { ok: false, issues } : { ok: true, value };
}

const usernameField = withCheck(constrainedStr({ pattern: USERNAME_PATTERN }), (username) =>
	RESERVED_USERNAMES.includes(username) ? 'Username is reserved' : null,
);
const passwordField = constrainedStr({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
const nothing = () => null;

const CREATE_ACCOUNT_FIELDS: Field[] = [
	{ name: 'username', validate: usernameField },
	{ name: 'email', validate: emailStr },
	{ name: 'password', validate: passwordField },
	{ name: 'full_name', validate: optional(str), default: nothing },
	{ name: 'phone', validate: optional(str), default: nothing },
	{ name: 'company', validate: optional(str), default: nothing },
	{ name: 'package_id', validate: optional(int), default: nothing },
	{ name: 'is_admin', validate: bool, default: () => false },
	{ name: 'billing_id', validate: optional(str), default: nothing },
	{ name: 'metadata', validate: optional(dict), default: () => ({}) },
];

/** The create body once validated (what the handler works with). */
export const createAccountInputSchema = z.object({
	username: z.string(),
	email: z.string(),
	password: z.string(),
	full_name: z.string().nullable(),
	phone: z.string().nullable(),
	company: z.string().nullable(),
	package_id: z.number().int().nullable(),
	is_admin: z.boolean(),
	billing_id: z.string().nullable(),
	metadata: z.record(z.string(), z.unknown()),
});
export type CreateAccountInput = z.infer<typeof createAccountInputSchema>;

export const suspendInputSchema = z.object({ reason: z.string().nullable() });
export type SuspendInput = z.infer<typeof suspendInputSchema>;

export const changePasswordInputSchema = z.object({ password: z.string() });
export type ChangePasswordInput = z.infer<typeof changePasswordInputSchema>;

function typed<T>(result: Validated<Record<string, unknown>>, schema: z.ZodType<T>): Validated<T> {
	return result.ok ? { ok: true, value: schema.parse(result.value) } : result;
}

export function validateCreateAccount(body: RequestBody): Validated<CreateAccountInput> {
	const result = validateModel(body, CREATE_ACCOUNT_FIELDS, true);
	// An explicit `"metadata": null` is stored as no metadata, like an absent one.
	if (result.ok && result.value['metadata'] === null) result.value['metadata'] = {};
	return typed(result, createAccountInputSchema);
}

/** The suspend body is optional; `reason` may be absent or null. */
export function validateSuspend(body: RequestBody): Validated<SuspendInput> {
	return typed(validateModel(body, [{ name: 'reason', validate: optional(str), default: nothing }], false), suspendInputSchema);
}

export function validateChangePassword(body: RequestBody): Validated<ChangePasswordInput> {
	return typed(validateModel(body, [{ name: 'password', validate: passwordField }], true), changePasswordInputSchema);
}

/** The `{account_id}` path parameter, an int in FastAPI's lax mode. */
export function parseAccountId(raw: string): Validated<number> {
	const result = int(raw);
	if (result.ok) return { ok: true, value: result.value as number };
	return { ok: false, issues: [located(result.problem, ['path', 'account_id'])] };
}

/** FastAPI's answer to a body json.loads could not read. */
export function jsonInvalidIssue(message: string, position: number): PydanticIssue {
	return { type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error: message } };
}
