// Fuzzing every way in: each /nextpanel route, each Flow operation, and the item API of every
// collection the plugin hooks, as an administrator, an operator, a user without any policy and
// the public. Every request carries invalid input (wrong types, ids nobody has, malformed or
// hostile bodies, names an object inherits): never a 5xx may come back, and no NextPanel server
// may be called. The figures are written to test-results/fuzz-report.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { createFlow, createOperation, createRole, createUser, deleteFlow, deleteUser, readItems, updateFlow } from '@directus/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../../../scripts/lib/paths.ts';
import { credentialsSchema, provisionRequestSchema, removalRequestSchema } from '../../src/shared/api-schemas.ts';
import { api, createCustomer, harness, registerServer, sdk, simulator, waitFor, type ApiResponse } from '../harness/client.ts';

type Who = 'admin' | 'operator' | 'nobody' | 'public';

let nobodyToken = '';
let nobodyUser = '';
const flows: string[] = [];
const figures: Record<Who, { requests: number; status5xx: number; byStatus: Record<string, number> }> = {
	admin: { requests: 0, status5xx: 0, byStatus: {} },
	operator: { requests: 0, status5xx: 0, byStatus: {} },
	nobody: { requests: 0, status5xx: 0, byStatus: {} },
	public: { requests: 0, status5xx: 0, byStatus: {} },
};
const failures: string[] = [];

async function simulatorCalls(): Promise<number> {
	const counts = await Promise.all((['a', 'b', 'c'] as const).map(async (name) => (await simulator(name).calls()).count));
	return counts.reduce((sum, n) => sum + n, 0);
}

async function send(who: Who, method: string, path: string, body?: unknown, raw?: string): Promise<ApiResponse> {
	let response: ApiResponse;
	if (who === 'nobody') {
		const result = await fetch(`${harness().url}${path}`, {
			method,
			headers: {
				Authorization: `Bearer ${nobodyToken}`,
				...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
			},
			body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
		});
		const text = await result.text();
		response = { status: result.status, text, body: text };
	} else {
		response = await api(method, path, {
			as: who,
			...(raw !== undefined ? { rawBody: raw } : body !== undefined ? { rawBody: JSON.stringify(body) ?? 'null' } : {}),
		});
	}
	const tally = figures[who];
	tally.requests++;
	tally.byStatus[response.status] = (tally.byStatus[response.status] ?? 0) + 1;
	if (response.status >= 500) {
		tally.status5xx++;
		failures.push(
			`${who} ${method} ${path} ${String(raw ?? JSON.stringify(body)).slice(0, 120)} -> ${response.status} ${response.text.slice(0, 200)}`,
		);
	}
	return response;
}

/** Values that are wrong for any field here, including ones that look almost right and names objects inherit. */
const wrong = fc.oneof(
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
	fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'x', 'valueOf'), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
	fc.constantFrom(
		'',
		' ',
		'null',
		'00000000-0000-0000-0000-00000000000',
		'ftp://x',
		'javascript:alert(1)',
		'http://169.254.169.254/latest',
		'http://[::ffff:169.254.169.254]/',
		'x'.repeat(3000),
		'9lives',
		'Bad Name',
		'root',
		'<script>alert(1)</script>',
		'constructor',
		'__proto__',
		'\u0000',
		'😀'.repeat(40),
		'{{$env.NEXTPANEL_ENCRYPTION_KEY}}',
	),
);
const unknownId = fc.constant(null).map(() => randomUUID());
const hostilePath = fc.constantFrom(
	'constructor',
	'__proto__',
	'toString',
	'valueOf',
	'hasOwnProperty',
	'..%2F..%2Fetc',
	'%00',
	'x'.repeat(300),
	'1',
	'-1',
	'null',
);
const deepJson = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const hostileRaw = fc.constantFrom(
	'{',
	'{"customer": }',
	'[1,2',
	'not json',
	'{"a":1}}',
	'\u0000',
	'{"customer":"\\uZZZZ"}',
	deepJson(5000),
	`{"a":${deepJson(3000)}}`,
);

/** The requests: [method, path, body] with the body always invalid for that route, or ids nobody has. */
function requests(existing: { account: string; server: string; customer: string }) {
	const accountActions = [
		'suspend',
		'unsuspend',
		'terminate',
		'cancel',
		'sync',
		'retry',
		'reveal-password',
		'mark-terminated',
		'reapply-status',
		'accept-remote-status',
	];
	return fc.oneof(
		fc
			.record(
				{ customer: fc.oneof(unknownId, wrong), server: fc.oneof(unknownId, wrong), username: wrong, password: wrong, package: wrong },
				{ requiredKeys: [] },
			)
			.map((body) => {
				const valid = provisionRequestSchema.safeParse(body).success;
				// A valid body only ever names a customer nobody has.
				return ['POST', '/nextpanel/accounts', valid ? { ...body, customer: randomUUID() } : body] as const;
			}),
		fc
			.record({ base_url: wrong, api_key: wrong, api_secret: wrong, extra: wrong }, { requiredKeys: [] })
			.filter((body) => !credentialsSchema.safeParse(body).success)
			.map((body) => ['POST', '/nextpanel/servers/test', body] as const),
		fc
			.tuple(fc.oneof(unknownId, hostilePath), fc.record({ base_url: wrong, api_key: wrong, api_secret: wrong }, { requiredKeys: [] }))
			.map(([id, body]) => ['POST', `/nextpanel/servers/${id}/test`, body] as const),
		// Edits of a real server: invalid values only.
		fc
			.record({ base_url: wrong, api_key: wrong, api_secret: wrong }, { requiredKeys: [] })
			.filter((body) => Object.keys(body).length > 0 && !credentialsSchema.partial().safeParse(body).success)
			.map((body) => ['POST', `/nextpanel/servers/${existing.server}/test`, body] as const),
		fc
			.tuple(fc.oneof(unknownId, hostilePath), fc.record({ dry_run: wrong, create_customers: wrong, only: wrong }, { requiredKeys: [] }))
			.map(([id, body]) => ['POST', `/nextpanel/servers/${id}/import`, body] as const),
		fc
			.record({ dry_run: wrong, create_customers: wrong, only: wrong }, { requiredKeys: [] })
			.filter((body) => Object.keys(body).length > 0)
			.map((body) => ['POST', `/nextpanel/servers/${existing.server}/import`, body] as const),
		fc.oneof(unknownId, hostilePath).map((id) => ['GET', `/nextpanel/servers/${id}/drift`, undefined] as const),
		fc
			.tuple(fc.oneof(unknownId, hostilePath), fc.oneof(fc.constant({}), fc.record({ x: wrong })))
			.map(([id, body]) => ['POST', `/nextpanel/servers/${id}/drift`, body] as const),
		fc.record({ rows: wrong, x: wrong }).map((body) => ['POST', `/nextpanel/servers/${existing.server}/drift`, body] as const),
		// Removal and repair: never a body they would act on.
		fc
			.tuple(fc.constantFrom('uninstall', 'repair'), fc.record({ dry_run: wrong, delete_data: wrong, extra: wrong }, { requiredKeys: [] }))
			.filter(([, body]) => !removalRequestSchema.safeParse(body).success)
			.map(([mode, body]) => ['POST', `/nextpanel/${mode}`, body] as const),
		fc
			.tuple(fc.constantFrom(...accountActions), fc.oneof(unknownId, hostilePath), fc.oneof(fc.constant({}), fc.record({ reason: wrong })))
			.map(([action, id, body]) => ['POST', `/nextpanel/accounts/${id}/${action}`, body] as const),
		fc
			.tuple(fc.constantFrom(...accountActions), fc.record({ reason: wrong, extra: wrong }))
			.map(([action, body]) => ['POST', `/nextpanel/accounts/${existing.account}/${action}`, body] as const),
		hostilePath.map((job) => ['POST', `/nextpanel/jobs/${job}`, {}] as const),
		// The item API of the hooked collections.
		fc
			.record({
				full_name: wrong,
				email: wrong,
				provision_hosting: fc.constant(true),
				hosting_server: fc.oneof(unknownId, wrong),
				hosting_username: wrong,
				hosting_password: wrong,
				hosting_package: wrong,
			})
			.map((body) => ['POST', '/items/customers', body] as const),
		// Always a server nobody has, so no update can provision.
		fc
			.record({ provision_hosting: fc.oneof(wrong, fc.constant(true)), hosting_package: wrong, hosting_password: wrong })
			.map((body) => ['PATCH', `/items/customers/${existing.customer}`, { ...body, hosting_server: randomUUID() }] as const),
		fc
			.record({
				customer: fc.oneof(unknownId, wrong),
				server: fc.oneof(unknownId, wrong),
				username: wrong,
				password: wrong,
				package: wrong,
				status: fc.constantFrom('active', 'suspended'),
			})
			.map((body) => ['POST', '/items/hosting_accounts', body] as const),
		fc
			.record({ status: wrong, nextpanel_account_id: wrong, username: wrong, lease_owner: wrong }, { requiredKeys: ['status'] })
			.map((body) => ['PATCH', `/items/hosting_accounts/${existing.account}`, body] as const),
		fc.constant(['DELETE', `/items/hosting_accounts/${existing.account}`, undefined] as const),
		fc.constant(['DELETE', `/items/customers/${existing.customer}`, undefined] as const),
		fc
			.record({ name: wrong, base_url: wrong, api_key: wrong, api_secret: wrong, capacity: wrong, packages: wrong })
			.map((body) => ['POST', '/items/nextpanel_servers', body] as const),
		fc
			.record({ base_url: wrong, api_secret: wrong, packages: fc.oneof(wrong, fc.constant([{ id: 'x' }])) }, { requiredKeys: ['base_url'] })
			.map((body) => ['PATCH', `/items/nextpanel_servers/${existing.server}`, body] as const),
	);
}

/** One webhook flow per operation, its options filled from the trigger's body. */
async function operationFlow(type: string, options: Record<string, string>): Promise<string> {
	const admin = sdk();
	const flow = (await admin.request(
		createFlow({
			name: `fuzz ${type}`,
			status: 'active',
			trigger: 'webhook',
			accountability: null,
			options: { method: 'POST', async: false, return: '$last' },
		} as never),
	)) as { id: string };
	const operation = (await admin.request(
		createOperation({ flow: flow.id, key: 'op', name: type, type, position_x: 19, position_y: 1, options } as never),
	)) as { id: string };
	await admin.request(updateFlow(flow.id, { operation: operation.id } as never));
	flows.push(flow.id);
	return flow.id;
}

beforeAll(async () => {
	// A user with no role and no policy: signed in, allowed nothing.
	nobodyToken = randomBytes(24).toString('hex');
	try {
		nobodyUser = (
			(await sdk().request(
				createUser({ email: 'nobody@example.com', password: randomBytes(12).toString('hex'), token: nobodyToken } as never),
			)) as { id: string }
		).id;
	} catch {
		// The licence's seat limit: a role without policies for a user that already exists is the same case.
		const role = (await sdk().request(createRole({ name: 'No policy' } as never))) as { id: string };
		nobodyUser = (
			(await sdk().request(
				createUser({ email: 'nobody@example.com', role: role.id, token: nobodyToken, status: 'suspended' } as never),
			)) as { id: string }
		).id;
	}
});

afterAll(async () => {
	for (const flow of flows) await sdk().request(deleteFlow(flow));
	if (nobodyUser) await sdk().request(deleteUser(nobodyUser));
	mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
	writeFileSync(join(projectRoot, 'test-results', 'fuzz-report.json'), JSON.stringify({ figures, failures }, null, 2));
});

describe('fuzzing every route, operation and hooked collection', () => {
	test('invalid input from any caller: never a 5xx, never a NextPanel call', async () => {
		const server = await registerServer();
		const customer = await createCustomer();
		const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		expect(created.status).toBe(201);
		const existing = { account: created.body.data.id as string, server: server.id, customer: customer.id };
		await waitFor(
			async () =>
				(await sdk().request(readItems('hosting_accounts', { filter: { status: { _in: ['pending', 'provisioning'] } }, limit: 1 })))
					.length === 0,
			{
				what: 'quiet simulators',
				timeoutMs: 30_000,
			},
		);
		const provisionFlow = await operationFlow('nextpanel-provision', {
			customer: '{{$trigger.body.customer}}',
			server: '{{$trigger.body.server}}',
			username: '{{$trigger.body.username}}',
			package: '{{$trigger.body.package}}',
		});
		const actionFlow = await operationFlow('nextpanel-suspend', {
			account: '{{$trigger.body.account}}',
			customer: '{{$trigger.body.customer}}',
			reason: '{{$trigger.body.reason}}',
		});
		const importFlow = await operationFlow('nextpanel-import', {
			server: '{{$trigger.body.server}}',
			dry_run: '{{$trigger.body.dry_run}}',
			create_customers: '{{$trigger.body.create}}',
		});
		const revealFlow = await operationFlow('nextpanel-reveal-password', { account: '{{$trigger.body.account}}' });
		const before = await simulatorCalls();

		const callers: Who[] = ['admin', 'operator', 'nobody', 'public'];
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...callers), requests(existing), async (who, [method, path, body]) => {
				await send(who, method, path, body);
			}),
			{ numRuns: 600, seed: 20261130 },
		);
		// Hostile raw bodies (malformed JSON, 5,000 nested arrays) on every kind of route.
		const routes = [
			['POST', '/nextpanel/accounts'],
			['POST', '/nextpanel/servers/test'],
			['POST', `/nextpanel/servers/${existing.server}/test`],
			['POST', `/nextpanel/servers/${existing.server}/import`],
			['POST', `/nextpanel/accounts/${existing.account}/suspend`],
			['POST', `/nextpanel/accounts/${existing.account}/reveal-password`],
			['POST', `/nextpanel/servers/${existing.server}/drift`],
			['POST', '/nextpanel/uninstall'],
			['POST', '/nextpanel/repair'],
			['POST', '/items/customers'],
			['POST', '/items/hosting_accounts'],
			['PATCH', `/items/nextpanel_servers/${existing.server}`],
		] as const;
		for (const who of callers)
			for (const [method, path] of routes) for (const raw of fc.sample(hostileRaw, 4)) await send(who, method, path, undefined, raw);
		// The Flow operations, with invalid options from the trigger.
		const optionSets = fc.sample(
			fc.record({
				customer: fc.oneof(unknownId, wrong),
				server: fc.oneof(unknownId, wrong),
				account: fc.oneof(unknownId, wrong),
				reason: wrong,
				username: wrong,
				package: wrong,
				dry_run: wrong,
				create: wrong,
			}),
			{ numRuns: 40, seed: 7 },
		);
		for (const options of optionSets) {
			for (const flow of [provisionFlow, actionFlow, importFlow, revealFlow]) {
				for (const who of callers) {
					const response = await send(who, 'POST', `/flows/trigger/${flow}`, options);
					// A rejected operation ends the flow with its error: never an account that became active.
					expect(response.text).not.toMatch(/"status":"active"/);
				}
			}
		}

		const calls = (await simulatorCalls()) - before;
		const total = Object.values(figures).reduce((sum, f) => sum + f.requests, 0);
		const errors5xx = Object.values(figures).reduce((sum, f) => sum + f.status5xx, 0);
		console.log(`fuzz: ${total} requests, ${errors5xx} answered 5xx, ${calls} NextPanel calls`, JSON.stringify(figures));
		// Every request counted above was sent: the property runs, the hostile bodies, the flows.
		expect(total).toBe(600 + callers.length * routes.length * 4 + optionSets.length * 4 * callers.length);
		expect(failures).toEqual([]);
		expect(errors5xx).toBe(0);
		expect(calls).toBe(0);
		expect(total).toBeGreaterThan(1000);
	}, 600_000);
});
