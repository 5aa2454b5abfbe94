import { describe, expect, test } from 'vitest';
import { classifyNetworkError, classifyResponse, renderErrorBody } from './failure.ts';

const context = { baseUrl: 'https://panel.example.com', doing: 'creating account "jd"', timeoutMs: 30_000, username: 'jd' };

describe('renderErrorBody', () => {
	test.each([
		[{ detail: 'Invalid API credentials' }, 'Invalid API credentials'],
		[
			{
				detail: [
					{ loc: ['body', 'username'], msg: 'Field required', type: 'missing' },
					{ loc: ['body', 'email'], msg: 'value is not a valid email address' },
				],
			},
			'username: Field required; email: value is not a valid email address',
		],
		[{ detail: { code: 42 } }, 'an error without a readable message'],
		// Bodies that are not NextPanel's are described, never quoted: a base URL pointed at another
		// service must not echo what that service serves.
		['<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', 'an HTML page, not an answer of the NextPanel API'],
		['<!DOCTYPE html><p>internal admin secret-token=abc</p>', 'an HTML page, not an answer of the NextPanel API'],
		['root:x:0:0:root:/root:/bin/bash', 'a text answer that is not from the NextPanel API'],
		['', 'an empty response'],
		[null, 'an empty response'],
		[{ message: 'Something broke' }, 'a JSON answer that is not from the NextPanel API'],
		[{ status: 'ok', token: 'internal-service-token' }, 'a JSON answer that is not from the NextPanel API'],
		[['unexpected', 1], 'a JSON answer that is not from the NextPanel API'],
	])('%j -> %s', (body, text) => {
		expect(renderErrorBody(body).text).toBe(text);
	});

	test('a NextPanel detail is quoted by its first 300 characters only', () => {
		const text = renderErrorBody({ detail: 'x'.repeat(100_000) }).text;
		expect(text).toHaveLength(300);
		expect(text.endsWith('…')).toBe(true);
	});

	test('422 lists become field errors', () => {
		expect(renderErrorBody({ detail: [{ loc: ['body', 'password'], msg: 'too short' }] }).fieldErrors).toEqual([
			{ field: 'password', message: 'too short' },
		]);
	});
});

describe('classifyResponse', () => {
	test.each([
		[401, { detail: 'Invalid API credentials' }, 'auth_failed', /key and secret .*active and not expired/],
		[403, { detail: 'IP address 10.1.2.3 is not allowed for this API key' }, 'ip_not_allowed', /Add 10\.1\.2\.3 to the key's allowed IPs/],
		[403, { detail: "The user doesn't have super admin privileges" }, 'insufficient_permission', /needs the SUPER_ADMIN level/],
		[400, { detail: 'Username already exists' }, 'already_exists', /already has an account named "jd"/],
		[400, { detail: 'Account is already suspended' }, 'rejected', /refused/],
		[404, { detail: 'Account not found' }, 'not_found', /no account/],
		[404, { detail: 'Not Found' }, 'not_supported', /no such API route/],
		[405, { detail: 'Method Not Allowed' }, 'not_supported', /does not support/],
		[422, { detail: [{ loc: ['body', 'email'], msg: 'bad email' }] }, 'invalid', /email: bad email/],
		[500, 'Internal Server Error', 'server_error', /retried automatically/],
		[503, { detail: 'Service temporarily unavailable' }, 'server_error', /503/],
	])('%i %j -> %s', (status, body, code, message) => {
		const failure = classifyResponse({ status, body, isJson: typeof body !== 'string', context });
		expect(failure.code).toBe(code);
		expect(failure.message).toMatch(message);
		expect(failure.transient).toBe(status >= 500);
	});

	test('a 404 HTML page means the base URL is wrong, not that an account is missing', () => {
		expect(classifyResponse({ status: 404, body: '<html>nope</html>', isJson: false, context }).code).toBe('bad_response');
	});
});

describe('classifyNetworkError', () => {
	test.each([
		['ECONNREFUSED', 'unreachable', false, /refused/],
		['ENOTFOUND', 'unreachable', false, /does not resolve/],
		['NEXTPANEL_CONNECT_TIMEOUT', 'timeout', false, /did not accept a connection within 2 s/],
		['NEXTPANEL_TIMEOUT', 'timeout', true, /did not answer within 30 s/],
		['ECONNRESET', 'unreachable', true, /closed before/],
		['CERT_HAS_EXPIRED', 'unreachable', false, /certificate/],
	])('%s -> %s', (code, expected, mayHaveReached, message) => {
		const failure = classifyNetworkError({ code, context, connectTimeoutMs: 2000 });
		expect(failure.code).toBe(expected);
		expect(failure.mayHaveReachedServer).toBe(mayHaveReached);
		expect(failure.message).toMatch(message);
		expect(failure.message).toContain('panel.example.com');
	});
});
