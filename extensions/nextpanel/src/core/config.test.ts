import { describe, expect, test } from 'vitest';
import { readConfig } from './config.ts';

const base = { NEXTPANEL_ENCRYPTION_KEY: 'k' };

describe('readConfig', () => {
	test('defaults: 5 s connection tests, 30 s writes, 1 MB answers, schedules on, welcome mail off', () => {
		const { config, problems } = readConfig(base);
		expect(problems).toEqual([]);
		expect(config).toMatchObject({
			NEXTPANEL_TEST_TIMEOUT_MS: 5000,
			NEXTPANEL_WRITE_TIMEOUT_MS: 30000,
			NEXTPANEL_MAX_RESPONSE_BYTES: 1024 * 1024,
			NEXTPANEL_SCHEDULE_ENABLED: true,
			NEXTPANEL_WELCOME_MAIL: false,
			NEXTPANEL_CUSTOMERS_COLLECTION: 'customers',
			NEXTPANEL_CUSTOMER_NAME_FIELD: 'full_name',
			NEXTPANEL_CUSTOMER_EMAIL_FIELD: 'email',
		});
		expect(config.NEXTPANEL_URL_DENY_LIST).toContain('169.254.0.0/16');
	});

	test('accepts the shapes Directus casts env values to, and strings', () => {
		expect(readConfig({ ...base, NEXTPANEL_WRITE_TIMEOUT_MS: 1200, NEXTPANEL_WELCOME_MAIL: true }).config.NEXTPANEL_WRITE_TIMEOUT_MS).toBe(
			1200,
		);
		expect(
			readConfig({ ...base, NEXTPANEL_WRITE_TIMEOUT_MS: '1200', NEXTPANEL_WELCOME_MAIL: 'false', NEXTPANEL_SCHEDULE_ENABLED: '0' }).config,
		).toMatchObject({ NEXTPANEL_WRITE_TIMEOUT_MS: 1200, NEXTPANEL_WELCOME_MAIL: false, NEXTPANEL_SCHEDULE_ENABLED: false });
		expect(readConfig({ ...base, NEXTPANEL_URL_DENY_LIST: '10.0.0.0/8, 192.168.0.0/16' }).config.NEXTPANEL_URL_DENY_LIST).toEqual([
			'10.0.0.0/8',
			'192.168.0.0/16',
		]);
	});

	test.each([
		['off', null],
		['false', null],
		[false, null],
		['*/5 * * * * *', '*/5 * * * * *'],
	])('a schedule of %j is %j', (value, expected) => {
		expect(readConfig({ ...base, NEXTPANEL_DRIFT_SCHEDULE: value }).config.NEXTPANEL_DRIFT_SCHEDULE).toBe(expected);
	});

	test('the earlier names of the attempt settings still work; the new names win', () => {
		const old = readConfig({ ...base, NEXTPANEL_RETRY_ATTEMPTS: 2, NEXTPANEL_MAX_ATTEMPTS: 7 }).config;
		expect(old).toMatchObject({ NEXTPANEL_ATTEMPTS_PER_RUN: 2, NEXTPANEL_ATTEMPTS_BUDGET: 7 });
		const both = readConfig({ ...base, NEXTPANEL_RETRY_ATTEMPTS: 2, NEXTPANEL_ATTEMPTS_PER_RUN: 4 }).config;
		expect(both.NEXTPANEL_ATTEMPTS_PER_RUN).toBe(4);
	});

	test('the lease outlives the longest provisioning run unless set', () => {
		const { config } = readConfig({
			...base,
			NEXTPANEL_WRITE_TIMEOUT_MS: 1000,
			NEXTPANEL_READ_TIMEOUT_MS: 500,
			NEXTPANEL_ATTEMPTS_PER_RUN: 2,
		});
		expect(config.leaseMs).toBe(2 * (2 * 1000 + 500) + 60_000);
		expect(readConfig({ ...base, NEXTPANEL_LEASE_MS: 9000 }).config.leaseMs).toBe(9000);
	});

	test('a missing key or a bad value is a problem that says what to set, never a crash', () => {
		const missing = readConfig({});
		expect(missing.problems.join(' ')).toMatch(/NEXTPANEL_ENCRYPTION_KEY is not set: set it to 32 random bytes/);
		const bad = readConfig({ ...base, NEXTPANEL_RETRY_ATTEMPTS: 'many', NEXTPANEL_CUSTOMERS_COLLECTION: 'my customers' });
		expect(bad.problems).toHaveLength(2);
		expect(bad.problems.join(' ')).toMatch(/NEXTPANEL_ATTEMPTS_PER_RUN/);
		expect(bad.problems.join(' ')).toMatch(/NEXTPANEL_CUSTOMERS_COLLECTION/);
		expect(bad.config.NEXTPANEL_ATTEMPTS_PER_RUN).toBe(3);
		expect(bad.config.NEXTPANEL_CUSTOMERS_COLLECTION).toBe('customers');
	});

	test('ignores variables of other software', () => {
		expect(readConfig({ ...base, DB_CLIENT: 'pg', PORT: 8055 }).problems).toEqual([]);
	});
});
