import { describe, expect, test } from 'vitest';
import { describeApiError } from './describe-api-error.ts';

describe('describeApiError', () => {
	test.each([
		[{ response: { status: 502, data: { errors: [{ message: 'NextPanel had a server error (500).', extensions: { code: 'NEXTPANEL_ERROR' } }] } } }, 'NextPanel had a server error (500).'],
		[
			{ response: { status: 502, data: { errors: [{ message: 'NextPanel rejected the request.', extensions: { fields: [{ field: 'email', message: 'bad email' }] } }] } } },
			'NextPanel rejected the request. (email: bad email)',
		],
		[{ response: { status: 400, data: { errors: [{ extensions: { reason: 'username: too short' } }] } } }, 'username: too short'],
		[{ response: { status: 502, data: '<html><title>502 Bad Gateway</title></html>' } }, 'The server answered 502: 502 Bad Gateway.'],
		[{ response: { status: 500 } }, 'The server answered 500 without an explanation.'],
		[{ message: 'Network Error', code: 'ERR_NETWORK' }, 'Directus could not be reached. Check your connection and try again.'],
		[{ errors: [{ message: 'A' }, { message: 'A' }, { message: 'B' }] }, 'A B'],
		['plain words', 'plain words'],
		[new Error('thrown'), 'thrown'],
		[{ weird: [1, 2] }, '{"weird":[1,2]}'],
		[null, 'Something went wrong, but no details were given.'],
		[42, '42'],
	])('%j -> %s', (error, text) => {
		expect(describeApiError(error)).toBe(text);
	});
});
