import { describe, expect, test } from 'vitest';
import { readConfig } from './config.ts';

const base = { NEXTPANEL_ENCRYPTION_KEY: 'k' };

describe('readConfig', () => {
	test('defaults: 5 s connection tests, 30 s writes, schedules on, welcome mail off', () => {
		const config = readConfig(base);
		expect(config).toMatchObject({
			NEXTPANEL_TEST_TIMEOUT_MS: 5000,
			NEXTPANEL_WRITE_TIMEOUT_MS: 30000,
			NEXTPANEL_SCHEDULE_ENABLED: true,
			NEXTPANEL_WELCOME_MAIL: false,
		});
		expect(config.NEXTPANEL_URL_DENY_LIST).toContain('169.254.0.0/16');
	});

	test('accepts the shapes Directus casts env values to, and strings', () => {
		expect(readConfig({ ...base, NEXTPANEL_WRITE_TIMEOUT_MS: 1200, NEXTPANEL_WELCOME_MAIL: true }).NEXTPANEL_WRITE_TIMEOUT_MS).toBe(1200);
		expect(
			readConfig({ ...base, NEXTPANEL_WRITE_TIMEOUT_MS: '1200', NEXTPANEL_WELCOME_MAIL: 'false', NEXTPANEL_SCHEDULE_ENABLED: '0' }),
		).toMatchObject({ NEXTPANEL_WRITE_TIMEOUT_MS: 1200, NEXTPANEL_WELCOME_MAIL: false, NEXTPANEL_SCHEDULE_ENABLED: false });
		expect(readConfig({ ...base, NEXTPANEL_URL_DENY_LIST: '10.0.0.0/8, 192.168.0.0/16' }).NEXTPANEL_URL_DENY_LIST).toEqual([
			'10.0.0.0/8',
			'192.168.0.0/16',
		]);
	});

	test('the lease outlives the longest provisioning run unless set', () => {
		const config = readConfig({ ...base, NEXTPANEL_WRITE_TIMEOUT_MS: 1000, NEXTPANEL_READ_TIMEOUT_MS: 500, NEXTPANEL_RETRY_ATTEMPTS: 2 });
		expect(config.leaseMs).toBe(2 * (2 * 1000 + 500) + 60_000);
		expect(readConfig({ ...base, NEXTPANEL_LEASE_MS: 9000 }).leaseMs).toBe(9000);
	});

	test('names what is wrong', () => {
		expect(() => readConfig({})).toThrow(/NEXTPANEL_ENCRYPTION_KEY is not set/);
		expect(() => readConfig({ ...base, NEXTPANEL_RETRY_ATTEMPTS: 'many' })).toThrow(/NEXTPANEL_RETRY_ATTEMPTS/);
	});

	test('ignores variables of other software', () => {
		expect(() => readConfig({ ...base, DB_CLIENT: 'pg', PORT: 8055 })).not.toThrow();
	});
});
