import { describe, expect, test } from 'vitest';
import { redact, REDACTED } from './redact.ts';

describe('redact', () => {
	test('hides passwords and secrets at any depth and keeps the rest', () => {
		const input = {
			username: 'jd',
			password: 'p',
			nested: [{ api_secret: 's', X_API_Secret: 't', note: 'ok' }],
			metadata: { token: 'x', count: 2 },
		};
		expect(redact(input)).toEqual({
			username: 'jd',
			password: REDACTED,
			nested: [{ api_secret: REDACTED, X_API_Secret: REDACTED, note: 'ok' }],
			metadata: { token: REDACTED, count: 2 },
		});
		expect(input.password).toBe('p');
	});

	test('leaves empty sensitive fields visible as empty', () => {
		expect(redact({ password: null })).toEqual({ password: null });
	});
});
