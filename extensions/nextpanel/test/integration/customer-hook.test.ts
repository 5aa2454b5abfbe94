import { createItem, createItems, readItems, readNotifications, readRevisions, updateItem } from '@directus/sdk';
import { describe, expect, test } from 'vitest';
import { DEMO_PROJECT_NAME } from '../../../../scripts/lib/project-setup.ts';
import { api, errorOf, harness, mailsTo, registerServer, sdk, simulator, unique, waitFor, waitForStatus } from '../harness/client.ts';

async function accountsOf(customerId: string) {
	return sdk().request(readItems('hosting_accounts', { filter: { customer: { _eq: customerId } }, fields: ['*'] }));
}

const newCustomer = (fields: Record<string, unknown> = {}) => {
	const tag = unique('');
	return { full_name: `Hook Customer ${tag}`, email: `hook-${tag}@example.com`, ...fields };
};

describe('creating a customer with "provision hosting"', () => {
	test('saves the customer at once and provisions in the background; the password is stored nowhere', async () => {
		const server = await registerServer();
		const password = 'Hook-Password-Strong-77';
		// NextPanel holds this create for a while: the save must answer before NextPanel does.
		await simulator('a').addFault({ kind: 'latency', ms: 1500, times: 1, match: { method: 'POST', path: '/api/v1/billing/accounts' } });
		const fields = newCustomer();
		const customer = (await sdk().request(
			createItem('customers', { ...fields, provision_hosting: true, hosting_server: server.id, hosting_password: password }),
		)) as Record<string, any>;
		expect(customer).toMatchObject({
			...fields,
			id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
		});
		expect(customer).not.toHaveProperty('hosting_password');
		// The account is in the same save, and not provisioned yet when the save answers.
		const [account] = await accountsOf(customer['id']);
		expect(['pending', 'provisioning']).toContain(account!['status']);

		const active = await waitForStatus(account!['id'], ['active']);
		expect(active['server']).toBe(server.id);
		expect((await simulator('a').accounts()).filter((a) => a.billing_id === customer['id'])).toHaveLength(1);

		const mail = await waitFor(async () => mailsTo(customer['email'])[0], { what: 'the welcome mail' });
		expect(mail.text).toContain(password);
		await waitFor(async () => (await waitForStatus(account!['id'], ['active']))['welcome_mail'] === 'sent');

		const revisions = await sdk().request(
			readRevisions({ filter: { item: { _in: [customer['id'], account!['id']] } }, fields: ['data', 'delta'], limit: -1 }),
		);
		expect(JSON.stringify(revisions)).not.toContain(password);
		const rows = await api('GET', `/items/customers/${customer['id']}?fields=*`);
		expect(rows.text).not.toContain(password);
	});

	test('without the flag nothing reaches NextPanel', async () => {
		const server = await registerServer();
		const customer = (await sdk().request(
			createItem('customers', newCustomer({ provision_hosting: false, hosting_server: server.id })),
		)) as Record<string, any>;
		// Evidence rather than a pause: a customer saved after it, with the flag, is provisioned
		// all the way; anything the first save had started would have run before.
		const later = (await sdk().request(
			createItem('customers', newCustomer({ provision_hosting: true, hosting_server: server.id })),
		)) as Record<string, any>;
		const [laterAccount] = await accountsOf(later['id']);
		await waitForStatus(laterAccount!['id'], ['active']);
		expect(await accountsOf(customer['id'])).toHaveLength(0);
		const creates = (await simulator('a').calls({ method: 'POST', path: '/api/v1/billing/accounts' })).calls.filter(
			(c) => c.key === server.apiKey,
		);
		expect(creates).toHaveLength(1);
	});

	test.each([
		['an unknown server', { hosting_server: '00000000-0000-4000-8000-000000000000' }, /hosting_server: there is no NextPanel server/],
		['an invalid username', { hosting_username: 'Bad Name' }, /hosting_username/],
		['a weak password', { hosting_password: 'short' }, /hosting_password: the password is too weak/],
	])('%s refuses the whole save with a 400', async (_label, fields, message) => {
		const email = `refused-${unique('')}@example.com`;
		const response = await api('POST', '/items/customers', { body: { ...newCustomer({ email }), provision_hosting: true, ...fields } });
		expect(response.status).toBe(400);
		expect(errorOf(response).message).toMatch(message);
		const found = await sdk().request(readItems('customers', { filter: { email: { _eq: email } } }));
		expect(found).toHaveLength(0);
	});

	test('a disabled or full server refuses the save', async () => {
		const disabled = await registerServer({ status: 'disabled' });
		const response = await api('POST', '/items/customers', {
			body: { ...newCustomer(), provision_hosting: true, hosting_server: disabled.id },
		});
		expect(response.status).toBe(400);
		expect(errorOf(response).message).toMatch(/disabled/);
	});

	test('a bulk create provisions each customer exactly once', async () => {
		const server = await registerServer({ simulator: 'b' });
		const payload = [0, 1, 2, 3, 4].map(() => newCustomer({ provision_hosting: true, hosting_server: server.id }));
		const customers = (await sdk().request(createItems('customers', payload))) as Record<string, any>[];
		expect(customers).toHaveLength(5);
		for (const customer of customers) {
			const [account] = await waitFor(async () => {
				const rows = await accountsOf(customer['id']);
				return rows.length ? rows : undefined;
			});
			await waitForStatus(account!['id'], ['active']);
		}
		const remote = (await simulator('b').accounts()).filter((a) => customers.some((c) => c['id'] === a.billing_id));
		expect(remote).toHaveLength(5);
	});

	test('turning the flag on for an existing customer provisions them', async () => {
		const server = await registerServer();
		const customer = (await sdk().request(createItem('customers', newCustomer()))) as Record<string, any>;
		await sdk().request(updateItem('customers', customer['id'], { provision_hosting: true, hosting_server: server.id }));
		const [account] = await waitFor(async () => {
			const rows = await accountsOf(customer['id']);
			return rows.length ? rows : undefined;
		});
		await waitForStatus(account!['id'], ['active']);
		// Saving again with the flag on does not provision a second account.
		// A provisioning account is created inside the save itself, so the save's answer is the evidence.
		await sdk().request(updateItem('customers', customer['id'], { provision_hosting: true, notes: 'edited' }));
		expect(await accountsOf(customer['id'])).toHaveLength(1);
	});

	test('terminating the last live account turns the flag off, so the form promises nothing a save would not do; ticking it again provisions anew', async () => {
		const server = await registerServer();
		const customer = (await sdk().request(
			createItem('customers', newCustomer({ provision_hosting: true, hosting_server: server.id })),
		)) as Record<string, any>;
		const [first] = await accountsOf(customer['id']);
		await waitForStatus(first!['id'], ['active']);
		const terminated = await api('POST', `/nextpanel/accounts/${first!['id']}/terminate`, { as: 'operator', body: {} });
		expect(terminated.status, terminated.text).toBe(200);
		const after = (await api('GET', `/items/customers/${customer['id']}?fields=provision_hosting,notes`)).body.data;
		expect(after.provision_hosting).toBe(false);
		// Activity names the operator who terminated, not the system.
		const operator = (await api('GET', '/users/me?fields=id', { as: 'operator' })).body.data.id;
		const revisions = await sdk().request(
			readRevisions({ filter: { collection: { _eq: 'customers' }, item: { _eq: customer['id'] } }, fields: ['data', 'activity.user'] }),
		);
		expect(
			revisions.some((revision) => (revision as any).data?.provision_hosting === false && (revision as any).activity?.user === operator),
		).toBe(true);

		await sdk().request(updateItem('customers', customer['id'], { provision_hosting: true }));
		const accounts = await waitFor(async () => {
			const rows = await accountsOf(customer['id']);
			return rows.length === 2 ? rows : undefined;
		});
		const second = accounts.find((row) => row['id'] !== first!['id'])!;
		await waitForStatus(second['id'], ['active']);
	});

	test('NextPanel down: the customer is saved, the account waits, and the schedule provisions it later', async () => {
		const server = await registerServer({ simulator: 'c' });
		const sim = simulator('c');
		await sim.down();
		let accountId: string;
		try {
			const customer = (await sdk().request(
				createItem('customers', newCustomer({ provision_hosting: true, hosting_server: server.id })),
			)) as Record<string, any>;
			const [account] = await waitFor(async () => {
				const rows = await accountsOf(customer['id']);
				return rows.length && rows[0]!['last_error'] ? rows : undefined;
			});
			accountId = account!['id'];
			expect(account!['status']).toBe('pending');
			expect(account!['last_error']).toMatch(/Cannot reach NextPanel/);
		} finally {
			await sim.up();
		}
		const active = await waitForStatus(accountId, ['active'], 30_000);
		expect((await sim.accounts()).filter((a) => a.id === active['nextpanel_account_id'])).toHaveLength(1);
	});

	test('the person who created the customer is notified of the outcome', async () => {
		const server = await registerServer();
		const customer = (await sdk().request(
			createItem('customers', newCustomer({ provision_hosting: true, hosting_server: server.id })),
		)) as Record<string, any>;
		const notification = await waitFor(
			async () => {
				const rows = (await sdk().request(
					readNotifications({ filter: { collection: { _eq: 'hosting_accounts' } }, sort: ['-timestamp'], limit: 50 }),
				)) as Record<string, any>[];
				const [account] = await accountsOf(customer['id']);
				return account && rows.find((n) => n['item'] === account['id']);
			},
			{ what: 'the notification' },
		);
		expect(notification['subject']).toMatch(/is active/);
		// The mail Directus sends with it names the account by its username and is signed with the
		// project's name, not "The Directus Team".
		const [account] = await accountsOf(customer['id']);
		const username = String(account!['username']);
		const mail = await waitFor(
			async () =>
				mailsTo(harness().adminEmail).find((m) => m.subject === `Hosting account "${username}" is active` && m.html.includes(username)),
			{ what: 'the notification mail' },
		);
		const body = `${mail.text}\n${mail.html}`;
		expect(body).toMatch(new RegExp(`${username}(&quot;|")? is ready on NextPanel`));
		expect(body).toContain(`The ${DEMO_PROJECT_NAME} Team`);
		expect(body).not.toMatch(/Directus Team/);
	});
});
