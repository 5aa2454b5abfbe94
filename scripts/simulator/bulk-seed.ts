// Thousands of accounts in one call, for load tests and benchmarks: usernames, e-mails and
// billing ids from a pattern, ids from the counter, one state-file write. They get no password:
// hashing 10,000 with scrypt would take seconds, and nothing needs to log in as them.
import { z } from 'zod';
import type { AccountStore, NewAccountFields, SeedFields } from './accounts.ts';
import { ControlError, parseInput } from './control-error.ts';
import { checkEmail } from './email-address.ts';

const NUMBER_DIGITS = 5;
const MAX_USERNAME_LENGTH = 32;

const number = (value: number) => String(value).padStart(NUMBER_DIGITS, '0');

export const bulkSeedSchema = z
	.object({
		count: z.number().int().min(1).max(100_000),
		/** Usernames are the prefix and a number padded to five digits: user00001, user00002... */
		prefix: z
			.string()
			.regex(/^[a-z][a-z0-9_]*$/, 'must start with a lowercase letter, then lowercase letters, digits or _')
			.default('user'),
		start: z.number().int().nonnegative().default(1),
		/** billing_id is this prefix and the (unpadded) number; null: no billing id. */
		billing_id_prefix: z.string().nullable().default(null),
		email_domain: z.string().min(1).default('example.com'),
		/** Every Nth account of the batch is suspended; 0: none. */
		suspended_every: z.number().int().nonnegative().default(0),
		package_id: z.number().int().nullable().default(null),
	})
	.strict()
	.refine((options) => `${options.prefix}${number(options.start + options.count - 1)}`.length <= MAX_USERNAME_LENGTH, {
		message: `the prefix and the highest number make a username over ${MAX_USERNAME_LENGTH} characters`,
		path: ['prefix'],
	});
/** What `POST /control/accounts/bulk` takes; only `count` is required. */
export type BulkSeedInput = z.input<typeof bulkSeedSchema>;

export interface BulkSeedResult {
	count: number;
	first_id: number;
	last_id: number;
}

/** The domain as e-mail validation normalises it, or a 400 if no address can have it. */
function emailDomain(sample: string, domain: string): string {
	const checked = checkEmail(`${sample}@${domain}`);
	if (!checked.ok) throw new ControlError(400, `Invalid bulk seed: email_domain ${domain} makes invalid addresses: ${checked.reason}`);
	return checked.normalized.slice(checked.normalized.lastIndexOf('@') + 1);
}

/** Seeds `count` accounts, all or none: a username a live account has is a 409 before any is made. */
export function seedBulk(accounts: AccountStore, body: unknown, now: number): BulkSeedResult {
	const options = parseInput(bulkSeedSchema, body, 'bulk seed');
	// The longest username makes the longest address, so if it passes they all do.
	const domain = emailDomain(`${options.prefix}${number(options.start + options.count - 1)}`, options.email_domain);
	const batch = Array.from({ length: options.count }, (_, index) => {
		const value = options.start + index;
		return { position: index + 1, value, username: `${options.prefix}${number(value)}` };
	});
	const clashes = batch.filter(({ username }) => accounts.usernameTaken(username));
	if (clashes.length)
		throw new ControlError(
			409,
			`${clashes.length} of these usernames are taken, the first being ${clashes[0]?.username}; nothing was seeded`,
		);
	const createdAt = new Date(now).toISOString();
	const created = accounts.createMany(
		batch.map(({ position, value, username }) => {
			const fields: NewAccountFields = {
				username,
				email: `${username}@${domain}`,
				full_name: `User ${number(value)}`,
				phone: null,
				company: null,
				billing_id: options.billing_id_prefix === null ? null : `${options.billing_id_prefix}${value}`,
				package_id: options.package_id,
				is_admin: false,
				metadata: {},
				password_hash: null,
			};
			const suspended = options.suspended_every > 0 && position % options.suspended_every === 0;
			const seed: SeedFields = { status: suspended ? 'suspended' : 'active', created_at: createdAt };
			return { fields, seed };
		}),
	);
	return { count: created.length, first_id: created[0]?.id ?? 0, last_id: created.at(-1)?.id ?? 0 };
}
