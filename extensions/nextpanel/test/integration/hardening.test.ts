// The defects an adversarial review found, each tried the way it was found: a saved secret sent
// to an address a read-only user chose, the encryption key read over REST, actions on another
// customer's account after a server's address changed, a generated password lost, hostile
// bodies, wrongly typed hosting inputs, and deleting a customer with live accounts.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, createCustomer, errorOf, harness, rawDatabase, registerServer, simulator, unique, waitForStatus } from '../harness/client.ts';

/** A listener that records what reaches it, standing in for a host an attacker controls. */
let listener: Server;
let listenerUrl = '';
const received: IncomingHttpHeaders[] = [];
const db = rawDatabase();

beforeAll(async () => {
	listener = createServer((req, res) => {
		received.push(req.headers);
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"status":"healthy","version":"1.0.0"}');
	});
	await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
	listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise<void>((resolve) => listener.close(() => resolve()));
	await db.destroy();
});

describe('a saved API secret goes only to the saved address', () => {
	test('a read-only user cannot test other values than the saved ones: 403, and nothing reaches the other host', async () => {
		const server = await registerServer();
		received.length = 0;
		for (const edits of [{ base_url: listenerUrl }, { api_key: 'npk_other' }, { base_url: listenerUrl, api_key: 'k', api_secret: 's' }]) {
			const response = await api('POST', `/nextpanel/servers/${server.id}/test`, { as: 'viewer', body: edits });
			expect(response.status, JSON.stringify(edits)).toBe(403);
		}
		expect(received).toEqual([]);
		// The saved values themselves may be tested by whoever may read the server.
		expect((await api('POST', `/nextpanel/servers/${server.id}/test`, { as: 'viewer', body: {} })).body.status).toBe('ok');
	});

	test('even an administrator must type the secret again to test another address; the saved one never leaves', async () => {
		const server = await registerServer();
		received.length = 0;
		const refused = await api('POST', `/nextpanel/servers/${server.id}/test`, { body: { base_url: listenerUrl } });
		expect(refused.status).toBe(400);
		expect(errorOf(refused).message).toMatch(/enter the API secret to test another address/);
		expect(errorOf(refused).code).toBe('NEXTPANEL_SECRET_REQUIRED');
		expect(received).toEqual([]);

		await api('POST', `/nextpanel/servers/${server.id}/test`, { body: { base_url: listenerUrl, api_secret: 'typed-for-this-test' } });
		const secrets = received.map((headers) => headers['x-api-secret']).filter(Boolean);
		expect(secrets.length).toBeGreaterThan(0);
		expect(secrets.every((secret) => secret === 'typed-for-this-test')).toBe(true);
		expect(JSON.stringify(received)).not.toContain(server.apiSecret);
	});

	test('moving a server to another address needs the secret again, and the new address must hold its live accounts', async () => {
		const server = await registerServer({ simulator: 'a' });
		const created = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: server.id } });
		expect(created.status).toBe(201);
		const withoutSecret = await api('PATCH', `/items/nextpanel_servers/${server.id}`, {
			body: { base_url: harness().simulators.b.apiUrl },
		});
		expect(withoutSecret.status).toBe(400);
		expect(errorOf(withoutSecret).message).toMatch(/enter the API secret again/);
		expect(errorOf(withoutSecret).code).toBe('NEXTPANEL_SECRET_REQUIRED');
		// Simulator b is another panel: the key works there, the accounts are not there.
		await simulator('b').addKey({ key: server.apiKey, secret: server.apiSecret, level: 'SUPER_ADMIN' });
		const elsewhere = await api('PATCH', `/items/nextpanel_servers/${server.id}`, {
			body: { base_url: harness().simulators.b.apiUrl, api_secret: server.apiSecret },
		});
		expect(elsewhere.status).toBe(409);
		expect(errorOf(elsewhere).message).toMatch(/does not hold 1 of this server's 1 live hosting account/);
		expect((await api('GET', `/items/nextpanel_servers/${server.id}?fields=base_url`)).body.data.base_url).toBe(server.baseUrl);
		// The same panel under another name for its address is fine.
		const sameHost = server.baseUrl.replace('127.0.0.1', 'localhost');
		const moved = await api('PATCH', `/items/nextpanel_servers/${server.id}`, {
			body: { base_url: sameHost, api_secret: server.apiSecret },
		});
		expect(moved.status).toBe(200);
	});
});

describe('names a caller controls are looked up only among the jobs', () => {
	test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'prototype'])(
		'POST /nextpanel/jobs/%s is a 400 that reveals nothing',
		async (name) => {
			const response = await api('POST', `/nextpanel/jobs/${name}`, { body: {} });
			expect(response.status).toBe(400);
			expect(errorOf(response).message).toMatch(/unknown job/);
			expect(response.text).not.toContain(harness().encryptionKey);
			expect(response.text).not.toMatch(/NEXTPANEL_ENCRYPTION_KEY|services|database/);
		},
	);
});

describe('actions check the NextPanel account is still theirs', () => {
	test('after a server address changes behind Directus, suspend and terminate refuse with 409 and send no write', async () => {
		// Another panel (simulator b) where account ids belong to other customers.
		const victim = await registerServer({ simulator: 'b' });
		const ours = await registerServer({ simulator: 'a' });
		const mine = await api('POST', '/nextpanel/accounts', { body: { customer: (await createCustomer()).id, server: ours.id } });
		const theirs = await simulator('b').seedAccount({
			username: unique('victim'),
			email: 'victim@example.com',
			password: 'Victim-Password-1',
			billing_id: 'someone-else',
		});
		const account = mine.body.data;
		// The old way to break it: the address changes underneath, and the stored id now names the other panel's account.
		await db('nextpanel_servers').where({ id: ours.id }).update({ base_url: victim.baseUrl });
		await simulator('b').addKey({ key: ours.apiKey, secret: ours.apiSecret, level: 'SUPER_ADMIN' });
		await db('hosting_accounts').where({ id: account.id }).update({ nextpanel_account_id: theirs.id });
		await simulator('b').resetCalls();

		for (const action of ['suspend', 'terminate']) {
			const response = await api('POST', `/nextpanel/accounts/${account.id}/${action}`, { body: {} });
			expect(response.status, action).toBe(409);
			expect(errorOf(response).message).toMatch(/it is not this account any more/);
		}
		const writes = (await simulator('b').calls()).calls.filter((c) => c.method !== 'GET');
		expect(writes).toEqual([]);
		expect((await simulator('b').account(theirs.id)).status).toBe('active');
		expect((await simulator('b').account(theirs.id)).deleted).toBe(false);
		expect((await api('GET', `/items/hosting_accounts/${account.id}?fields=status`)).body.data.status).toBe('active');
	});
});

describe('malformed and wrongly typed input', () => {
	test.each([
		['5,000 nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
		['a deeply nested field', `{"customer":${'['.repeat(3000)}${']'.repeat(3000)}}`],
		['malformed JSON', '{"customer": '],
	])('%s is a 400 on every /nextpanel route and on the hooked collections', async (_label, raw) => {
		const server = await registerServer();
		for (const path of [
			'/nextpanel/accounts',
			'/nextpanel/servers/test',
			`/nextpanel/servers/${server.id}/test`,
			`/nextpanel/servers/${server.id}/import`,
			'/items/customers',
			'/items/hosting_accounts',
		]) {
			const response = await api('POST', path, { rawBody: raw });
			expect(response.status, path).toBe(400);
		}
	});

	test('hosting inputs of the wrong type on a customer save are refused, never coerced into a NextPanel call', async () => {
		const server = await registerServer();
		const before = (await simulator('a').calls()).count;
		for (const wrong of [
			{ hosting_package: [1] },
			{ hosting_package: '2' },
			{ hosting_server: [server.id] },
			{ hosting_username: 42 },
			{ provision_hosting: 'true' },
		]) {
			const response = await api('POST', '/items/customers', {
				body: {
					full_name: 'Typed Wrong',
					email: `typed-${unique('')}@example.com`,
					provision_hosting: true,
					hosting_server: server.id,
					...wrong,
				},
			});
			expect(response.status, JSON.stringify(wrong)).toBe(400);
		}
		expect((await simulator('a').calls()).count).toBe(before);
	});
});

describe('deleting a customer', () => {
	test('is refused with a 409 naming the live accounts, and allowed once they are terminated; the records stay', async () => {
		const server = await registerServer();
		const customer = await createCustomer();
		const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		const refused = await api('DELETE', `/items/customers/${customer.id}`);
		expect(refused.status).toBe(409);
		expect(errorOf(refused).message).toContain(`"${created.body.data.username}" (active)`);
		expect((await api('POST', `/nextpanel/accounts/${created.body.data.id}/terminate`, { body: {} })).status).toBe(200);
		expect((await api('DELETE', `/items/customers/${customer.id}`)).status).toBe(204);
		const kept = await waitForStatus(created.body.data.id, ['terminated']);
		expect(kept['customer']).toBeNull();
	});
});
