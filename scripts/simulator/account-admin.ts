// What NextPanel's own admin UI can do to an account behind the billing system's back: create it
// (with a chosen id, state or age), edit its fields, suspend or reactivate it, delete it. Tests
// use it to set the scene and to make the panel drift from what the billing system believes.
// None of it is a billing API call, so none of it is in the call log.
import { z } from 'zod';
import { accountStatusSchema, type AccountChanges, type AccountStore, type SeedFields, type StoredAccount } from './accounts.ts';
import { ControlError, parseInput } from './control-error.ts';
import { checkEmail } from './email-address.ts';
import { RESERVED_USERNAMES, USERNAME_PATTERN, validateCreateAccount } from './validation.ts';

// The same rules as the billing API's create: the panel's admin UI would not take a name the API refuses.
export const usernameSchema = z
	.string()
	.regex(new RegExp(USERNAME_PATTERN), `must match ${USERNAME_PATTERN}`)
	.refine((username) => !RESERVED_USERNAMES.includes(username), 'is reserved');

export const emailSchema = z.string().transform((email, context) => {
	const checked = checkEmail(email);
	if (checked.ok) return checked.normalized;
	context.addIssue({ code: 'custom', message: `is not a valid email address: ${checked.reason}` });
	return z.NEVER;
});

export const accountPatchSchema = z
	.object({
		status: accountStatusSchema,
		username: usernameSchema,
		email: emailSchema,
		billing_id: z.string().nullable(),
		package_id: z.number().int().nullable(),
		full_name: z.string().nullable(),
		suspend_reason: z.string().nullable(),
	})
	.partial()
	.strict()
	.refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change');
/** Fields to change with `PATCH /control/accounts/:id`. */
export type AccountPatch = z.input<typeof accountPatchSchema>;

/** Throws a 409 unless `username` is free for `account` (its own name is). */
export function claimUsername(accounts: AccountStore, username: string, account?: StoredAccount): void {
	const owner = accounts.byUsername(username);
	if (owner && owner !== account) throw new ControlError(409, `Username ${username} is taken by account ${owner.id}`);
}

/** Applies an admin's edit; a reactivated account loses its suspend reason, as unsuspend does. */
export function patchAccount(accounts: AccountStore, account: StoredAccount, body: unknown): StoredAccount {
	const patch = parseInput(accountPatchSchema, body, 'account change');
	if (patch.username !== undefined) claimUsername(accounts, patch.username, account);
	const status = patch.status ?? account.status;
	const suspendReason = patch.suspend_reason !== undefined ? patch.suspend_reason : status === 'active' ? null : account.suspend_reason;
	if (status === 'active' && suspendReason !== null)
		throw new ControlError(400, 'Invalid account change: suspend_reason only applies to a suspended account');
	const changes: AccountChanges = { ...patch, status, suspend_reason: suspendReason };
	return accounts.update(account, changes);
}

const seedFieldsSchema = z
	.object({
		id: z.number().int().positive(),
		status: accountStatusSchema,
		// Stored as the API writes timestamps, whatever offset it was given with.
		created_at: z.iso.datetime({ offset: true }).transform((timestamp) => new Date(timestamp).toISOString()),
	})
	.partial();

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Seeds an account: the billing API's create body (checked as the API checks it) plus `id`, `status`, `created_at`. */
export function seedAccount(accounts: AccountStore, body: unknown): StoredAccount {
	let createBody = body;
	let seedBody: Record<string, unknown> = {};
	if (isPlainObject(body)) {
		const { id, status, created_at, ...rest } = body;
		createBody = rest;
		seedBody = { id, status, created_at };
	}
	const checked = validateCreateAccount({ present: true, value: createBody });
	if (!checked.ok)
		throw new ControlError(
			400,
			`Invalid account: ${checked.issues.map((issue) => `${issue.loc.slice(1).join('.') || 'body'}: ${issue.msg}`).join('; ')}`,
			checked.issues,
		);
	const seed: SeedFields = parseInput(seedFieldsSchema, seedBody, 'account');
	// "Used" includes deleted accounts: their ids still name them in the control API.
	if (seed.id !== undefined && accounts.find(seed.id)) throw new ControlError(409, `Account id ${seed.id} is already used`);
	claimUsername(accounts, checked.value.username);
	return accounts.create(checked.value, seed);
}
