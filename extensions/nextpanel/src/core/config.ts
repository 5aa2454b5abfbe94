// Everything the bundle reads from the environment, validated once. Directus's env loader has
// already cast numeric and boolean strings, so every field accepts both shapes.
import { z } from 'zod';

const milliseconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const flag = (fallback: boolean) =>
	z
		.preprocess(
			(value) => (typeof value === 'string' ? !['false', '0', 'no', 'off', ''].includes(value.toLowerCase()) : value),
			z.boolean(),
		)
		.default(fallback);
const list = (fallback: string[]) =>
	z
		.preprocess(
			(value) =>
				typeof value === 'string'
					? value
							.split(',')
							.map((s) => s.trim())
							.filter(Boolean)
					: value,
			z.array(z.string()),
		)
		.default(fallback);
const cron = (fallback: string) => z.string().min(1).default(fallback);

/** Link-local and cloud metadata ranges: a connection test must not become a way to read them. */
export const DEFAULT_URL_DENY_LIST = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128', '100.100.100.200/32', '0.0.0.0/32'];

export const configSchema = z.object({
	NEXTPANEL_ENCRYPTION_KEY: z
		.string({ error: 'NEXTPANEL_ENCRYPTION_KEY is not set: it encrypts NextPanel API secrets and pending hosting passwords' })
		.min(1),
	NEXTPANEL_ENCRYPTION_KEY_PREVIOUS: list([]),
	NEXTPANEL_CONNECT_TIMEOUT_MS: milliseconds(5_000),
	NEXTPANEL_TEST_TIMEOUT_MS: milliseconds(5_000),
	NEXTPANEL_READ_TIMEOUT_MS: milliseconds(15_000),
	NEXTPANEL_WRITE_TIMEOUT_MS: milliseconds(30_000),
	NEXTPANEL_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
	NEXTPANEL_RETRY_BASE_MS: milliseconds(500),
	NEXTPANEL_RETRY_MAX_MS: milliseconds(15 * 60_000),
	NEXTPANEL_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(12),
	NEXTPANEL_LEASE_MS: milliseconds(0).optional(),
	NEXTPANEL_URL_DENY_LIST: list(DEFAULT_URL_DENY_LIST),
	NEXTPANEL_MAX_BODY_BYTES: z.coerce.number().int().min(256).default(16_384),
	NEXTPANEL_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(12),
	NEXTPANEL_SCHEDULE_ENABLED: flag(true),
	NEXTPANEL_SCHEDULE_BATCH: z.coerce.number().int().min(1).default(25),
	NEXTPANEL_RETRY_SCHEDULE: cron('*/20 * * * * *'),
	NEXTPANEL_USAGE_SCHEDULE: cron('0 */15 * * * *'),
	NEXTPANEL_HEALTH_SCHEDULE: cron('0 */5 * * * *'),
	NEXTPANEL_WELCOME_MAIL: flag(false),
	NEXTPANEL_WELCOME_MAIL_SUBJECT: z.string().default('Your hosting account is ready'),
	NEXTPANEL_WELCOME_MAIL_TEMPLATE: z.string().default('nextpanel-welcome'),
	NEXTPANEL_WELCOME_MAIL_ATTEMPTS: z.coerce.number().int().min(1).default(3),
});

export type NextPanelConfig = z.infer<typeof configSchema> & { leaseMs: number };

export function readConfig(env: Record<string, unknown>): NextPanelConfig {
	const source = Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('NEXTPANEL_')));
	const result = configSchema.safeParse(source);
	if (!result.success) {
		const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
		throw new Error(`NextPanel extension configuration is invalid: ${problems}`);
	}
	const config = result.data;
	// A lease must outlive the longest provisioning run (every in-request attempt timing out,
	// plus lookups and backoff), or a slow run could be taken over while still in flight.
	const longestRun = config.NEXTPANEL_RETRY_ATTEMPTS * (2 * config.NEXTPANEL_WRITE_TIMEOUT_MS + config.NEXTPANEL_READ_TIMEOUT_MS) + 60_000;
	return { ...config, leaseMs: config.NEXTPANEL_LEASE_MS || longestRun };
}
