// Each fault NextPanel (or the network in front of it) can produce, injected into the simulator
// during a provisioning: the account ends in the right state with a readable error, nothing is
// lost, and NextPanel never holds two accounts for one hosting account.
import { describe, expect, test } from 'vitest';
import type { FaultInput } from '../../../../scripts/simulator/faults.ts';
import { api, createCustomer, errorOf, rawDatabase, readAccount, registerServer, simulator } from '../harness/client.ts';

const CREATE = { method: 'POST', path: '/api/v1/billing/accounts' };

/** A fault that provisioning gets past: how many creates it took, and whether the account was found rather than created. */
interface Recovered {
	fault: FaultInput;
	creates: number;
	attempts: number;
}

/** A fault that outlasts the run: the answer, and the words that say why. */
interface Waiting {
	fault: FaultInput;
	status: number;
	error: RegExp;
}

const recovered: Record<string, Recovered> = {
	'one 503, then success': { fault: { kind: 'status', status: 503, times: 1 }, creates: 2, attempts: 2 },
	'a proxy HTML 502 page, then success': { fault: { kind: 'status', status: 502, times: 1 }, creates: 2, attempts: 2 },
	// The create landed but its answer was lost: found by the lookup, never sent again.
	'the lost 201 (created, connection reset)': { fault: { kind: 'reset_after_commit', times: 1 }, creates: 1, attempts: 1 },
	'malformed JSON after the create': { fault: { kind: 'malformed_json', times: 1 }, creates: 1, attempts: 1 },
	'slow but within the timeout': { fault: { kind: 'latency', ms: 300, times: 1 }, creates: 1, attempts: 1 },
};

const waiting: Record<string, Waiting> = {
	'a 500 on every attempt': { fault: { kind: 'status', status: 500 }, status: 502, error: /server error .*500.*retried automatically/ },
	'an HTML login page instead of JSON': { fault: { kind: 'html' }, status: 502, error: /HTML page/ },
	'an empty 502 on every attempt': { fault: { kind: 'empty', status: 502 }, status: 502, error: /502/ },
	'a black hole': { fault: { kind: 'blackhole' }, status: 504, error: /did not answer within 2 s/ },
	'connection resets before handling': { fault: { kind: 'reset' }, status: 502, error: /closed before NextPanel answered/ },
};

describe('fault matrix on create', () => {
	async function start(fault: FaultInput) {
		const server = await registerServer({ simulator: 'c' });
		const sim = simulator('c');
		await sim.clearFaults();
		await sim.resetCalls();
		await sim.addFault({ ...fault, match: CREATE });
		const customer = await createCustomer();
		const response = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		const creates = async () => (await sim.calls(CREATE)).calls.filter((call) => call.key === server.apiKey).length;
		const remote = async () => (await sim.accounts()).filter((a) => a.billing_id === customer.id && !a.deleted);
		return { sim, response, creates, remote };
	}

	test.each(Object.entries(recovered))(
		'%s: active within the request, one NextPanel account',
		async (_label, { fault, creates, attempts }) => {
			const run = await start(fault);
			try {
				expect(run.response.status).toBe(201);
				const account = await readAccount(run.response.body.data.id);
				expect(account).toMatchObject({ status: 'active', attempts, last_error: null });
				expect(await run.creates()).toBe(creates);
				const remote = await run.remote();
				expect(remote.map((a) => a.id)).toEqual([account['nextpanel_account_id']]);
			} finally {
				await run.sim.clearFaults();
			}
		},
	);

	test.each(Object.entries(waiting))(
		'%s: the account waits with the reason, and a retry later provisions it once',
		async (_label, { fault, status, error }) => {
			const run = await start(fault);
			try {
				expect(run.response.status).toBe(status);
				expect(errorOf(run.response).message).toMatch(error);
				const accountId = run.response.body.errors[0].extensions.hosting_account;
				const account = await readAccount(accountId);
				expect(account['status']).toBe('pending');
				expect(account['last_error']).toMatch(error);

				await run.sim.clearFaults();
				// NextPanel is healthy again: the retry provisions it, adopting anything that landed.
				const retried = await api('POST', `/nextpanel/accounts/${accountId}/retry`);
				expect(retried.status).toBe(200);
				expect(retried.body.data.status).toBe('active');
				const remote = await run.remote();
				expect(remote.map((a) => a.id)).toEqual([(await readAccount(accountId))['nextpanel_account_id']]);
			} finally {
				await run.sim.clearFaults();
			}
		},
	);

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
