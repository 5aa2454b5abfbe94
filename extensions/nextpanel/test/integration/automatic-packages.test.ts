// "Automatic" server with a package: the choice only lands on a server that offers the package
// (or lists none), and a package no active server offers is refused before anything is written
// or sent. The app's package picker reads what it needs for this from the capacity route.
import { readItems, updateItem } from '@directus/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	api,
	createCustomer,
	errorOf,
	rawDatabase,
	registerServer,
	sdk,
	simulator,
	unique,
	withOnlyServers,
	type RegisteredServer,
} from '../harness/client.ts';

const db = rawDatabase();

const basic = { id: 1, name: 'Basic', disk_mb: 1024 };
const business = { id: 2, name: 'Business', disk_mb: 10240, bandwidth_mb: 102400 };
const gold = { id: 7, name: 'Gold' };

let roomy: RegisteredServer;
let small: RegisteredServer;

beforeAll(async () => {
	// The roomy server would win on free slots alone: a package only the small one offers must not.
	roomy = await registerServer({ simulator: 'b', capacity: 1000 });
	small = await registerServer({ simulator: 'b', capacity: 10 });
	await sdk().request(updateItem('nextpanel_servers', roomy.id, { packages: [basic, business] }));
	await sdk().request(updateItem('nextpanel_servers', small.id, { packages: [business, gold] }));
});

// Servers with package lists narrow every later automatic choice with a package: out of the way.
afterAll(async () => {
	for (const server of [roomy, small]) await sdk().request(updateItem('nextpanel_servers', server.id, { status: 'disabled' }));
	await db.destroy();
});

const onlyOurs = <T>(work: () => Promise<T>) => withOnlyServers([roomy.id, small.id], work);
const createsOn = async (...servers: RegisteredServer[]) =>
	(await simulator('b').calls({ method: 'POST', path: '/api/v1/billing/accounts' })).calls.filter((call) =>
		servers.some((server) => server.apiKey === call.key),
	);

describe('POST /nextpanel/accounts with an automatic server and a package', () => {
	test('a package only one server offers lands on that server, though another has more free slots', async () => {
		const customer = await createCustomer();
		const response = await onlyOurs(() => api('POST', '/nextpanel/accounts', { body: { customer: customer.id, package: gold.id } }));
		expect(response.status).toBe(201);
		expect(response.body.data).toMatchObject({ server: small.id, package: gold.id, status: 'active' });
		const remote = (await simulator('b').accounts()).find((a) => a.id === response.body.data.nextpanel_account_id);
		expect(remote).toMatchObject({ username: response.body.data.username, package_id: gold.id });
	});

	test('a package both servers offer leaves the choice to free slots', async () => {
		const customer = await createCustomer();
		const response = await onlyOurs(() => api('POST', '/nextpanel/accounts', { body: { customer: customer.id, package: business.id } }));
		expect(response.status).toBe(201);
		expect(response.body.data).toMatchObject({ server: roomy.id, package: business.id });
	});

	test('a package no active server offers: 400 naming what they offer, nothing created or sent', async () => {
		const customer = await createCustomer();
		const before = (await createsOn(roomy, small)).length;
		const response = await onlyOurs(() => api('POST', '/nextpanel/accounts', { body: { customer: customer.id, package: 9 } }));
		expect(response.status).toBe(400);
		expect(errorOf(response).code).toBe('INVALID_PAYLOAD');
		expect(errorOf(response).message).toMatch(
			/package: no active NextPanel server offers package 9 \(they offer 1 Basic, 2 Business, 7 Gold\); choose one of those, or a server and one of its packages/,
		);
		expect(await db('hosting_accounts').where({ customer: customer.id })).toHaveLength(0);
		expect(await createsOn(roomy, small)).toHaveLength(before);
	});

	test('a package only a disabled server offers is not offered', async () => {
		const customer = await createCustomer();
		const response = await withOnlyServers([roomy.id], () =>
			api('POST', '/nextpanel/accounts', { body: { customer: customer.id, package: gold.id } }),
		);
		expect(response.status).toBe(400);
		expect(errorOf(response).message).toMatch(/package: no active NextPanel server offers package 7 \(they offer 1 Basic, 2 Business\)/);
		expect(await db('hosting_accounts').where({ customer: customer.id })).toHaveLength(0);
	});

	test('a customer saved with "provision hosting", an automatic server and such a package is refused whole', async () => {
		const email = `${unique('pkg')}@example.com`;
		const response = await onlyOurs(() =>
			api('POST', '/items/customers', { body: { full_name: 'Package Refused', email, provision_hosting: true, hosting_package: 9 } }),
		);
		expect(response.status).toBe(400);
		expect(errorOf(response).message).toMatch(/hosting_package: no active NextPanel server offers package 9/);
		expect(await sdk().request(readItems('customers', { filter: { email: { _eq: email } } }))).toHaveLength(0);
	});
});

describe('what the package picker reads', () => {
	test('the operator gets each server\u2019s status, free slots and packages from the capacity route, and no secret', async () => {
		const response = await api('GET', '/nextpanel/servers/capacity', { as: 'operator' });
		expect(response.status).toBe(200);
		const row = (response.body.data as Record<string, unknown>[]).find((s) => s['id'] === small.id);
		expect(row).toMatchObject({ status: 'active', full: false, free_slots: expect.any(Number), packages: [business, gold] });
		expect(Object.keys(row!).sort()).toEqual(['active_accounts', 'capacity', 'free_slots', 'full', 'id', 'name', 'packages', 'status']);
		expect(response.text).not.toContain(small.apiSecret);
	});
});
