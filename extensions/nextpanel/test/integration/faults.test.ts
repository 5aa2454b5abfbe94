// Each fault NextPanel (or the network in front of it) can produce, injected into the simulator
// during a provisioning: the account ends in the right state with a readable error, nothing is
// lost, and NextPanel never holds two accounts for one hosting account.
import { describe, expect, test } from 'vitest';
import type { FaultInput } from '../../../../scripts/simulator/faults.ts';
import { api, createCustomer, errorOf, rawDatabase, readAccount, registerServer, simulator } from '../harness/client.ts';

const CREATE = { method: 'POST', path: '/api/v1/billing/accounts' };

interface Case {
	fault: FaultInput;
	status: number;
	accountStatus: string;
	error: RegExp;
}

const cases: Record<string, Case> = {
	'one 503, then success': { fault: { kind: 'status', status: 503, times: 1 }, status: 201, accountStatus: 'active', error: /.*/ },
	'a proxy HTML 502 page, then success': {
		fault: { kind: 'status', status: 502, times: 1 },
		status: 201,
		accountStatus: 'active',
		error: /.*/,
	},
	'the lost 201 (created, connection reset)': {
		fault: { kind: 'reset_after_commit', times: 1 },
		status: 201,
		accountStatus: 'active',
		error: /.*/,
	},
	'malformed JSON after the create': { fault: { kind: 'malformed_json', times: 1 }, status: 201, accountStatus: 'active', error: /.*/ },
	'slow but within the timeout': { fault: { kind: 'latency', ms: 300, times: 1 }, status: 201, accountStatus: 'active', error: /.*/ },
	'a 500 on every attempt': {
		fault: { kind: 'status', status: 500 },
		status: 502,
		accountStatus: 'pending',
		error: /server error .*500.*retried automatically/,
	},
	'an HTML login page instead of JSON': { fault: { kind: 'html' }, status: 502, accountStatus: 'pending', error: /HTML page/ },
	'an empty 502 on every attempt': { fault: { kind: 'empty', status: 502 }, status: 502, accountStatus: 'pending', error: /502/ },
	'a black hole': { fault: { kind: 'blackhole' }, status: 504, accountStatus: 'pending', error: /did not answer within 2 s/ },
	'connection resets before handling': {
		fault: { kind: 'reset' },
		status: 502,
		accountStatus: 'pending',
		error: /closed before NextPanel answered/,
	},
};

describe('fault matrix on create', () => {
	test.each(Object.entries(cases))('%s', async (_label, { fault, status, accountStatus, error }) => {
		const server = await registerServer({ simulator: 'c' });
		const sim = simulator('c');
		await sim.clearFaults();
		await sim.addFault({ ...fault, match: CREATE });
		const customer = await createCustomer();
		try {
			const response = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
			expect(response.status).toBe(status);
			const accountId = status === 201 ? response.body.data.id : response.body.errors[0].extensions.hosting_account;
			if (status !== 201) expect(errorOf(response).message).toMatch(error);
			const account = await readAccount(accountId);
			expect(account['status']).toBe(accountStatus);
			if (accountStatus !== 'active') expect(account['last_error']).toMatch(error);

			await sim.clearFaults();
			if (accountStatus !== 'active') {
				// NextPanel is healthy again: the retry provisions it, adopting anything that landed.
				const retried = await api('POST', `/nextpanel/accounts/${accountId}/retry`);
				expect(retried.status).toBe(200);
				expect(retried.body.data.status).toBe('active');
			}
			const remote = (await sim.accounts()).filter((a) => a.billing_id === customer.id && !a.deleted);
			expect(remote).toHaveLength(1);
			expect(remote[0]!.id).toBe((await readAccount(accountId))['nextpanel_account_id']);
		} finally {
			await sim.clearFaults();
		}
	});

	test('NextPanel down: the account waits for a retry with a readable error and nothing is lost', async () => {
		const server = await registerServer({ simulator: 'c' });
		const sim = simulator('c');
		await sim.down();
		try {
			const customer = await createCustomer();
			const response = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
			expect(response.status).toBe(502);
			expect(errorOf(response).message).toMatch(/connection was refused/);
			const id = response.body.errors[0].extensions.hosting_account;
			expect(await readAccount(id)).toMatchObject({ status: 'pending' });
			// Nothing reached NextPanel, so the next run creates without looking it up first.
			const db = rawDatabase();
			try {
				const row = await db('hosting_accounts').select('create_attempted').where({ id }).first();
				expect(Boolean(row.create_attempted)).toBe(false);
			} finally {
				await db.destroy();
			}
		} finally {
			await sim.up();
		}
	});
});
