import { describe, expect, test } from 'vitest';
import { describeApiError, readApiError } from './describe-api-error.ts';

const axiosError = (status: number, data: unknown) =>
	Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, data } });

describe('describeApiError', () => {
	test.each([
		[
			'a Directus error',
			axiosError(502, { errors: [{ message: 'NextPanel had a server error (500).', extensions: { code: 'NEXTPANEL_ERROR' } }] }),
			'NextPanel had a server error (500).',
		],
		[
			'NextPanel field errors the message does not mention',
			axiosError(502, {
				errors: [{ message: 'NextPanel rejected the request.', extensions: { fields: [{ field: 'email', message: 'bad email' }] } }],
			}),
			'NextPanel rejected the request. (email: bad email)',
		],
		[
			'field errors the message already names',
			axiosError(400, {
				errors: [
					{
						message: 'Invalid: email: bad email',
						extensions: {
							fields: [
								{ field: 'email', message: 'bad email' },
								{ field: 42, message: null },
							],
						},
					},
				],
			}),
			'Invalid: email: bad email',
		],
		['a reason without a message', axiosError(400, { errors: [{ extensions: { reason: 'username: too short' } }] }), 'username: too short'],
		['an item with neither', axiosError(400, { errors: [{}] }), 'The request failed.'],
		[
			'a proxy error page',
			axiosError(502, '<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>'),
			'The server answered 502: 502 Bad Gateway.',
		],
		['an HTML page without a title', axiosError(500, '<html><body><form>login</form></body></html>'), 'The server answered 500.'],
		['a plain-text body', axiosError(503, 'upstream exploded'), 'The server answered 503: upstream exploded.'],
		['a status without a body', axiosError(500, undefined), 'The server answered 500 without an explanation.'],
		[
			'axios network error',
			{ message: 'Network Error', code: 'ERR_NETWORK' },
			'Directus could not be reached. Check your connection and try again.',
		],
		['fetch network error', new TypeError('Failed to fetch'), 'Directus could not be reached. Check your connection and try again.'],
		['a timeout', { message: 'timeout of 1000ms exceeded', code: 'ECONNABORTED' }, 'The request took too long and was stopped. Try again.'],
		['SDK-style errors (no response.data), duplicates merged', { errors: [{ message: 'A' }, { message: 'A' }, { message: 'B' }] }, 'A B'],
		['a plain string', 'plain words', 'plain words'],
		['an empty string', '   ', 'Something went wrong, but no details were given.'],
		['an Error', new Error('thrown'), 'thrown'],
		['an unknown object', { weird: [1, 2] }, '{"weird":[1,2]}'],
		['null', null, 'Something went wrong, but no details were given.'],
		['undefined', undefined, 'Something went wrong, but no details were given.'],
		['a number', 42, '42'],
	])('%s', (_shape, error, sentence) => {
		expect(describeApiError(error)).toBe(sentence);
	});

	test('a circular object still ends as text', () => {
		const circular: Record<string, unknown> = {};
		circular['self'] = circular;
		expect(describeApiError(circular)).toBe('Something went wrong, but the error could not be shown.');
	});

	test('never answers "[object Object]" for nested messages', () => {
		expect(describeApiError(axiosError(400, { errors: [{ message: { nested: true } }] }))).toBe('The request failed.');
	});

	test('shortens a long plain-text body', () => {
		const message = describeApiError(axiosError(500, 'x'.repeat(500)));
		expect(message.length).toBeLessThan(200);
		expect(message).toMatch(/\.\.\.\.$/);
	});
});

describe('readApiError', () => {
	test('reports status, code and the hosting account a failed provisioning left behind', () => {
		const error = axiosError(502, {
			errors: [
				{
					message: 'NextPanel had a server error.',
					extensions: { code: 'NEXTPANEL_ERROR', hosting_account: '5b1c4c0e-2a8e-4a55-9a4c-0d7f3f1d2c11' },
				},
			],
		});
		expect(readApiError(error)).toEqual({
			message: 'NextPanel had a server error.',
			status: 502,
			code: 'NEXTPANEL_ERROR',
			hostingAccount: '5b1c4c0e-2a8e-4a55-9a4c-0d7f3f1d2c11',
		});
	});

	test('has no status, code or account for a network failure', () => {
		expect(readApiError({ message: 'Network Error', code: 'ERR_NETWORK' })).toMatchObject({
			status: null,
			code: null,
			hostingAccount: null,
		});
	});
});
