// Generated malformed requests: every one gets a 4xx with a message, none a 500, and none
// reaches a NextPanel server.
import { readItems } from '@directus/sdk';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { credentialsSchema, provisionRequestSchema, suspendRequestSchema } from '../../src/shared/api-schemas.ts';
import { api, createCustomer, registerServer, sdk, simulator, waitFor } from '../harness/client.ts';

async function totalSimulatorCalls(): Promise<number> {
	const counts = await Promise.all((['a', 'b', 'c'] as const).map(async (name) => (await simulator(name).calls()).count));
	return counts.reduce((sum, n) => sum + n, 0);
}

/** Values that are wrong for a field, including ones that look almost right. */
const wrongValue = fc.oneof(
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.string(), { maxLength: 3 }),
	fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
	fc.string({ maxLength: 40 }),
	fc.constantFrom(
		'',
		' ',
		'null',
		'00000000-0000-0000-0000-00000000000',
		'ftp://x',
		'javascript:alert(1)',
		'x'.repeat(3000),
		'9lives',
		'Bad Name',
		'<script>',
	),
);

const malformedJsonBodies = ['{', '{"customer": }', '[1,2', 'not json', '{"a":1}}', '\u0000', '{"customer":"\\uZZZZ"}'];

describe('malformed input', () => {
	test('at least 100 generated bad requests: 4xx with a message, never a 500, no NextPanel call', async () => {
		const server = await registerServer();
		const customer = await createCustomer();
		const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		expect(created.status).toBe(201);
		const accountId: string = created.body.data.id;
		await waitFor(
			async () =>
				(await sdk().request(readItems('hosting_accounts', { filter: { status: { _in: ['pending', 'provisioning'] } }, limit: 1 })))
					.length === 0,
			{ what: 'quiet simulators', timeoutMs: 30_000 },
		);
		const before = await totalSimulatorCalls();

		const bodies = fc.oneof(
			fc.anything({ maxDepth: 3 }),
			fc.record(
				{ customer: wrongValue, server: wrongValue, username: wrongValue, password: wrongValue, package: wrongValue },
				{ requiredKeys: [] },
			),
			fc.record({ base_url: wrongValue, api_key: wrongValue, api_secret: wrongValue }, { requiredKeys: [] }),
			fc.record({ reason: wrongValue, extra: wrongValue }, { requiredKeys: [] }),
		);
		const requests = fc.tuple(fc.constantFrom('accounts', 'servers/test', 'suspend'), bodies);
		let checked = 0;
		await fc.assert(
			fc.asyncProperty(requests, async ([route, body]) => {
				const schema = route === 'accounts' ? provisionRequestSchema : route === 'servers/test' ? credentialsSchema : suspendRequestSchema;
				fc.pre(!schema.safeParse(body).success || route === 'suspend');
				const path = route === 'suspend' ? `/nextpanel/accounts/${accountId}/suspend` : `/nextpanel/${route}`;
				const payload = route === 'suspend' ? (schema.safeParse(body).success ? { ...(body as object), unexpected: 1 } : body) : body;
				const response = await api('POST', path, { rawBody: JSON.stringify(payload) ?? 'undefined' });
				expect(response.status, `${path} ${JSON.stringify(payload)?.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
				expect(response.status).toBeLessThan(500);
				expect(response.body.errors?.[0]?.message?.length ?? 0).toBeGreaterThan(5);
				checked++;
			}),
			{ numRuns: 150, seed: 20261129 },
		);
		for (const raw of malformedJsonBodies) {
			const response = await api('POST', '/nextpanel/accounts', { rawBody: raw });
			expect(response.status).toBe(400);
			checked++;
		}
		const oversized = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, username: 'a'.repeat(40_000) } });
		expect(oversized.status).toBe(400);
		expect(oversized.body.errors[0].message).toMatch(/username: must be at most 32 characters/);
		checked++;

		expect(checked).toBeGreaterThanOrEqual(100);
		expect(await totalSimulatorCalls()).toBe(before);
		expect((await api('GET', `/items/hosting_accounts/${accountId}`)).body.data.status).toBe('active');
	});
});
