// The inputs of provisioning, in every shape they arrive: the body of the /nextpanel routes, a
// hosting account created through the item API, and the hosting fields of a customer. One set of
// value schemas serves them all, with no coercion: `[1]` is not a package id, `"true"` is not a
// flag. The endpoint, the hooks, the operations, the app and the CLI use the same types.
import { z } from 'zod';
import { USERNAME_MAX_LENGTH } from './username.ts';

const text = (max: number) =>
	z.string({ error: 'must be text' }).trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

export const uuidSchema = z.uuid({ error: 'must be a UUID' });

/** A customer's id: a UUID, a positive integer or a short text, as the host's customer collection keys them. */
export const customerIdSchema = z.union([z.string().trim().min(1).max(255), z.number().int().positive()], {
	error: 'must be the id of a customer (a UUID, a whole number or a text)',
});

/** The values a person may give when asking for a hosting account. */
export const accountInputValues = {
	server: uuidSchema.nullish().transform((value) => value ?? null),
	username: z
		.string({ error: 'must be text' })
		.trim()
		.max(USERNAME_MAX_LENGTH, `must be at most ${USERNAME_MAX_LENGTH} characters`)
		.nullish()
		.transform((value) => value || null),
	password: z
		.string({ error: 'must be text' })
		.max(128, 'must be at most 128 characters')
		.nullish()
		.transform((value) => value || null),
	package: z
		.number({ error: 'must be a number (a NextPanel package id)' })
		.int('must be a whole number (a NextPanel package id)')
		.min(0, 'must not be negative')
		.nullish()
		.transform((value) => value ?? null),
};

/** `POST /nextpanel/accounts`, the provision operation and the CLI. */
export const provisionRequestSchema = z.strictObject({ customer: customerIdSchema, ...accountInputValues });

/** A hosting account created through Directus's item API (directly, or nested in a customer). */
export const accountCreateSchema = z.object({ customer: customerIdSchema, ...accountInputValues });

/** The hosting fields of a customer, as the customer form and the items API send them. */
export const customerHostingSchema = z.object({
	provision_hosting: z.boolean({ error: 'must be true or false' }).nullish(),
	hosting_server: accountInputValues.server,
	hosting_username: accountInputValues.username,
	hosting_package: accountInputValues.package,
});

export const credentialsSchema = z.strictObject({
	base_url: text(2048).refine((value) => /^https?:\/\//i.test(value), 'must start with http:// or https://'),
	api_key: text(256),
	api_secret: text(512),
});

export const serverTestEditsSchema = credentialsSchema.partial();

export const suspendRequestSchema = z.strictObject({
	reason: z.string({ error: 'must be text' }).trim().max(255, 'must be at most 255 characters').nullish(),
});

export const emptyBodySchema = z.strictObject({});

/** POST /nextpanel/uninstall and /nextpanel/repair. */
export const removalRequestSchema = z.strictObject({
	dry_run: z.boolean({ error: 'must be true or false' }).default(false),
	/** Uninstall only: drop the plugin's collections even when they hold rows. */
	delete_data: z.boolean({ error: 'must be true or false' }).default(false),
});

export const importRequestSchema = z.strictObject({
	dry_run: z.boolean({ error: 'must be true or false' }).default(false),
	create_customers: z.boolean({ error: 'must be true or false' }).default(false),
	/** Import only these NextPanel account ids (a drift fix adopts one account). */
	only: z.array(z.number().int().positive()).max(10_000).optional(),
	/** The term the imported accounts start with: paid until this day (none by default). */
	paid_until: z.iso.date({ error: 'must be a date (YYYY-MM-DD)' }).nullable().default(null),
	overdue_exempt: z.boolean({ error: 'must be true or false' }).default(false),
});

export type Credentials = z.infer<typeof credentialsSchema>;
export type ProvisionRequestBody = z.input<typeof provisionRequestSchema>;
export type ProvisionRequest = z.output<typeof provisionRequestSchema>;
export type AccountInputs = Omit<ProvisionRequest, 'customer'>;
export type SuspendRequestBody = z.infer<typeof suspendRequestSchema>;
export type ImportRequest = z.output<typeof importRequestSchema>;

export const idParamSchema = uuidSchema;

/** zod issues as one sentence per field, the way the endpoint reports them. */
export function describeIssues(error: z.ZodError, rename: Readonly<Record<string, string>> = {}): string {
	return error.issues
		.map((issue) => {
			if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
			const field = issue.path.map((part) => (Object.hasOwn(rename, String(part)) ? rename[String(part)] : String(part))).join('.');
			return field ? `${field}: ${issue.message}` : issue.message;
		})
		.join('; ');
}
