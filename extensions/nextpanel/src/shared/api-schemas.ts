// Request bodies of the /nextpanel endpoint. The endpoint validates with them; the app and the
// CLI build their requests from the same types.
import { z } from 'zod';
import { USERNAME_MAX_LENGTH } from './username.ts';

const uuid = z.uuid({ error: 'must be a UUID' });
const trimmed = (max: number, label: string) =>
	z
		.string({ error: `${label} must be text` })
		.trim()
		.min(1, `${label} is required`)
		.max(max, `${label} must be at most ${max} characters`);

export const credentialsSchema = z.strictObject({
	base_url: trimmed(2048, 'base_url').refine((value) => /^https?:\/\//i.test(value), 'base_url must start with http:// or https://'),
	api_key: trimmed(256, 'api_key'),
	api_secret: trimmed(512, 'api_secret'),
});

export const serverTestEditsSchema = credentialsSchema.partial();

export const provisionRequestSchema = z.strictObject({
	customer: uuid,
	server: uuid.nullish(),
	username: z
		.string()
		.trim()
		.max(USERNAME_MAX_LENGTH, `username must be at most ${USERNAME_MAX_LENGTH} characters`)
		.nullish()
		.transform((v) => v || null),
	password: z
		.string()
		.max(128, 'password must be at most 128 characters')
		.nullish()
		.transform((v) => v || null),
	package: z.number({ error: 'package must be a number' }).int('package must be a whole number').min(0).nullish(),
});

export const suspendRequestSchema = z.strictObject({
	reason: z.string().trim().max(255, 'reason must be at most 255 characters').nullish(),
});

export const emptyBodySchema = z.strictObject({});

export type Credentials = z.infer<typeof credentialsSchema>;
export type ProvisionRequestBody = z.input<typeof provisionRequestSchema>;
export type SuspendRequestBody = z.infer<typeof suspendRequestSchema>;

export const idParamSchema = uuid;

/** zod issues as one sentence per field, the way the endpoint reports them. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.map((issue) => {
			if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
			const field = issue.path.join('.');
			return field ? `${field}: ${issue.message}` : issue.message;
		})
		.join('; ');
}
