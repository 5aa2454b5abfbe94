// Everything the bundle reads from the environment, validated once. Directus's env loader has
// already cast numeric and boolean strings, so every field accepts both shapes. A missing or bad
// value never stops the bundle from loading: it becomes a problem that every route, the app and
// the log report in words, with what to set.
import { z } from 'zod';
import { durationSetting } from './lib/usage-due.ts';

const milliseconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const bytes = (fallback: number) => z.coerce.number().int().min(1024).default(fallback);
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
/** A six-field cron expression, or `off`/`false` to switch the job off. */
const schedule = (fallback: string) =>
	z.preprocess(
		(value) => (value === false || (typeof value === 'string' && ['off', 'false', ''].includes(value.trim().toLowerCase())) ? null : value),
		z.string().min(1).nullable().default(fallback),
	);
/** Whole days, where `off` (or empty) switches the step off. */
const daysOrOff = (fallback: number | null) =>
	z.preprocess(
		(value) =>
			value === false || (typeof value === 'string' && ['', 'off', 'never', 'false'].includes(value.trim().toLowerCase())) ? null : value,
		z.coerce.number().int().min(0).nullable().default(fallback),
	);
const identifier = (fallback: string) =>
	z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a collection or field name (letters, digits and _)')
		.default(fallback);

/** Link-local and cloud metadata ranges: a connection test must not become a way to read them. */
export const DEFAULT_URL_DENY_LIST = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128', '100.100.100.200/32', '0.0.0.0/32'];

export const configSchema = z.object({
	NEXTPANEL_ENCRYPTION_KEY: z.string().trim().min(1).optional(),
	NEXTPANEL_ENCRYPTION_KEY_PREVIOUS: list([]),
	NEXTPANEL_CUSTOMERS_COLLECTION: identifier('customers'),
	NEXTPANEL_CUSTOMER_NAME_FIELD: identifier('full_name'),
	NEXTPANEL_CUSTOMER_EMAIL_FIELD: identifier('email'),
	NEXTPANEL_CONNECT_TIMEOUT_MS: milliseconds(5_000),
	NEXTPANEL_TEST_TIMEOUT_MS: milliseconds(5_000),
	NEXTPANEL_READ_TIMEOUT_MS: milliseconds(15_000),
	NEXTPANEL_WRITE_TIMEOUT_MS: milliseconds(30_000),
	NEXTPANEL_MAX_RESPONSE_BYTES: bytes(1024 * 1024),
	NEXTPANEL_MAX_LIST_RESPONSE_BYTES: bytes(32 * 1024 * 1024),
	NEXTPANEL_ATTEMPTS_PER_RUN: z.coerce.number().int().min(1).max(10).default(3),
	NEXTPANEL_ATTEMPTS_BUDGET: z.coerce.number().int().min(1).default(12),
	NEXTPANEL_RETRY_BASE_MS: milliseconds(500),
	NEXTPANEL_RETRY_MAX_MS: milliseconds(15 * 60_000),
	NEXTPANEL_LEASE_MS: milliseconds(0).optional(),
	NEXTPANEL_URL_DENY_LIST: list(DEFAULT_URL_DENY_LIST),
	NEXTPANEL_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(12),
	NEXTPANEL_SCHEDULE_ENABLED: flag(true),
	NEXTPANEL_SCHEDULE_BATCH: z.coerce.number().int().min(1).default(25),
	NEXTPANEL_RETRY_SCHEDULE: schedule('*/20 * * * * *'),
	NEXTPANEL_USAGE_SCHEDULE: schedule('0 */15 * * * *'),
	/** How old a usage figure may get before the usage job reads it again. */
	NEXTPANEL_USAGE_MAX_AGE: durationSetting(6 * 3_600_000),
	/** Stats calls per second the usage job sends one NextPanel server, at most. */
	NEXTPANEL_USAGE_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(2),
	NEXTPANEL_HEALTH_SCHEDULE: schedule('0 */5 * * * *'),
	NEXTPANEL_DRIFT_SCHEDULE: schedule('0 17 * * * *'),
	/** Daily at 04:00 by default: suspends and terminates unpaid accounts, sends term reminders. */
	NEXTPANEL_OVERDUE_SCHEDULE: schedule('0 0 4 * * *'),
	/** The overdue policy where the project has no room for the nextpanel_settings collection. */
	NEXTPANEL_OVERDUE_SUSPEND_AFTER_DAYS: z.coerce.number().int().min(0).default(3),
	NEXTPANEL_OVERDUE_TERMINATE_AFTER_DAYS: daysOrOff(null),
	NEXTPANEL_OVERDUE_REMINDER_DAYS_BEFORE: daysOrOff(7),
	NEXTPANEL_OVERDUE_MAX_ACTIONS_PER_RUN: z.coerce.number().int().min(0).default(25),
	/** The customer's term mails (reminder, suspension, termination). */
	NEXTPANEL_OVERDUE_MAIL: flag(true),
	NEXTPANEL_WELCOME_MAIL: flag(false),
	NEXTPANEL_WELCOME_MAIL_SUBJECT: z.string().default('Your hosting account is ready'),
	NEXTPANEL_WELCOME_MAIL_TEMPLATE: z.string().default('nextpanel-welcome'),
	NEXTPANEL_WELCOME_MAIL_ATTEMPTS: z.coerce.number().int().min(1).default(3),
});

/** Earlier names that still work; the new name wins when both are set. */
export const CONFIG_ALIASES: Readonly<Record<string, keyof z.infer<typeof configSchema>>> = {
	NEXTPANEL_RETRY_ATTEMPTS: 'NEXTPANEL_ATTEMPTS_PER_RUN',
	NEXTPANEL_MAX_ATTEMPTS: 'NEXTPANEL_ATTEMPTS_BUDGET',
};

export type NextPanelConfig = z.infer<typeof configSchema> & { leaseMs: number };

export interface ConfigReading {
	config: NextPanelConfig;
	/** What is wrong with the environment, one sentence each, saying what to set. */
	problems: string[];
}

function withAliases(env: Record<string, unknown>): Record<string, unknown> {
	const source: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(env)) if (key.startsWith('NEXTPANEL_')) source[key] = value;
	for (const [old, current] of Object.entries(CONFIG_ALIASES)) {
		if (source[current] === undefined && source[old] !== undefined) source[current] = source[old];
		delete source[old];
	}
	return source;
}

function withLease(config: z.infer<typeof configSchema>): NextPanelConfig {
	// A lease must outlive the longest provisioning run (every in-request attempt timing out,
	// plus lookups and backoff), or a slow run could be taken over while still in flight.
	const longestRun =
		config.NEXTPANEL_ATTEMPTS_PER_RUN * (2 * config.NEXTPANEL_WRITE_TIMEOUT_MS + config.NEXTPANEL_READ_TIMEOUT_MS) + 60_000;
	return { ...config, leaseMs: config.NEXTPANEL_LEASE_MS || longestRun };
}

/**
 * Reads the configuration. Invalid values fall back to their defaults and are reported as
 * problems, so one mistyped variable never takes the whole bundle down.
 */
export function readConfig(env: Record<string, unknown>): ConfigReading {
	const source = withAliases(env);
	const problems: string[] = [];
	const result = configSchema.safeParse(source);
	if (!result.success) {
		for (const issue of result.error.issues) {
			const key = String(issue.path[0]);
			problems.push(`${key}: ${issue.message} (got ${JSON.stringify(source[key])}); the default is used until it is fixed.`);
			delete source[key];
		}
	}
	const config = withLease(result.success ? result.data : configSchema.parse(source));
	if (!config.NEXTPANEL_ENCRYPTION_KEY) {
		problems.push(
			'NEXTPANEL_ENCRYPTION_KEY is not set: set it to 32 random bytes, base64 encoded (for example the output of `openssl rand -base64 32`), in the environment of every Directus instance, then restart Directus. It encrypts NextPanel API secrets and hosting passwords waiting for delivery; keep it with your backups.',
		);
	}
	return { config, problems };
}
