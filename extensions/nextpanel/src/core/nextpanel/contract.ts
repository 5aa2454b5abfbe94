// The NextPanel billing API as this bundle relies on it (see shared/nextpanel-api.md). Responses
// are parsed loosely (extra fields pass through) but the fields we use must have the right type.
import { z } from 'zod';

export const healthSchema = z.looseObject({
	status: z.string(),
	version: z.string().optional(),
	database: z.string().optional(),
});

export const accountSchema = z.looseObject({
	id: z.number().int(),
	username: z.string(),
	email: z.string().nullish(),
	status: z.string().nullish(),
	billing_id: z.string().nullish(),
	package_id: z.number().int().nullish(),
	created_at: z.string().nullish(),
});

export const accountListSchema = z.array(accountSchema);

const megabytes = z.number().nonnegative();

export const statsSchema = z.looseObject({
	disk_used_mb: megabytes,
	disk_limit_mb: megabytes.nullish(),
	bandwidth_used_mb: megabytes,
	bandwidth_limit_mb: megabytes.nullish(),
});

export const createAccountRequestSchema = z.object({
	username: z.string(),
	email: z.string(),
	password: z.string(),
	full_name: z.string().nullable(),
	phone: z.string().nullable(),
	company: z.string().nullable(),
	package_id: z.number().int().nullable(),
	is_admin: z.boolean(),
	billing_id: z.string(),
	metadata: z.object({
		created_from: z.literal('billing_system'),
		billing_customer_id: z.string(),
		hosting_account_id: z.string(),
		account_type: z.enum(['panel', 'reseller', 'master-reseller']),
	}),
});

/** FastAPI's error body: `detail` is a string, or for 422 a list of field problems. */
export const validationIssueSchema = z.looseObject({
	loc: z.array(z.union([z.string(), z.number()])).optional(),
	msg: z.string(),
	type: z.string().optional(),
});

export const errorBodySchema = z.looseObject({
	detail: z.union([z.string(), z.array(validationIssueSchema), z.record(z.string(), z.unknown())]),
});

export type NextPanelHealth = z.infer<typeof healthSchema>;
export type NextPanelAccount = z.infer<typeof accountSchema>;
export type NextPanelStats = z.infer<typeof statsSchema>;
export type CreateAccountRequest = z.infer<typeof createAccountRequestSchema>;
export type ValidationIssue = z.infer<typeof validationIssueSchema>;
