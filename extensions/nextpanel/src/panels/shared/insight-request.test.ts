import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { compactParams, requestInsight, type InsightClient } from './insight-request.ts';

const schema = z.object({ total: z.number() });
const answering = (get: InsightClient['get']): InsightClient => ({ get: vi.fn(get) });
const failingWith = (status: number, message: string) => () =>
	Promise.reject({ response: { status, data: { errors: [{ message, extensions: { code: 'X' } }] } } });

describe('compactParams', () => {
	test('leaves out what is not set and keeps zero', () => {
		expect(compactParams({ server: null, from: undefined, to: '', limit: 0, tz: 'UTC' })).toEqual({ limit: 0, tz: 'UTC' });
	});
});

describe('requestInsight', () => {
	test('GETs the route with the set parameters and hands back the checked figures', async () => {
		const api = answering(() => Promise.resolve({ data: { data: { total: 3 } } }));
		expect(await requestInsight(api, 'accounts', { server: 'a1', tz: null }, schema)).toEqual({ state: 'ready', data: { total: 3 } });
		expect(api.get).toHaveBeenCalledWith('/nextpanel/insights/accounts', { params: { server: 'a1' } });
	});

	test('a 403 is "forbidden", with no reason to show', async () => {
		expect(await requestInsight(answering(failingWith(403, 'You do not have permission')), 'usage', {}, schema)).toEqual({
			state: 'forbidden',
		});
	});

	test('any other error is a failure with the sentence Directus gave', async () => {
		expect(await requestInsight(answering(failingWith(400, 'server: must be the id (a UUID)')), 'usage', {}, schema)).toEqual({
			state: 'failed',
			reason: 'server: must be the id (a UUID)',
		});
	});

	test('an answer of another shape is a failure that names what is wrong', async () => {
		const result = await requestInsight(
			answering(() => Promise.resolve({ data: { data: { total: 'three' } } })),
			'accounts',
			{},
			schema,
		);
		expect(result.state).toBe('failed');
		expect(result.state === 'failed' && result.reason).toMatch(/not understood \(total: /);
	});

	test('an answer without data (a proxy page) is a failure too', async () => {
		const result = await requestInsight(
			answering(() => Promise.resolve({ data: '<html></html>' })),
			'accounts',
			{},
			schema,
		);
		expect(result.state).toBe('failed');
	});
});
