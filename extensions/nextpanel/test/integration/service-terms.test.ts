// Service terms: hosting follows payment. The overdue policy is checked before it is saved; the
// `overdue` job suspends an unpaid account after the grace days (never an exempt one), terminates
// an overdue suspension after the terminate days (never an active account in one step), acts on at
// most the cap per run and tells administrators what waits; a payment brings an overdue
// suspension back, never a manual one. The preview lists the same plan and calls nothing.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createSimulator } from '../../../../scripts/simulator/server.ts';
import {
	api,
	createCustomer,
	errorOf,
	mailsTo,
	rawDatabase,
	readAccount,
	registerServer,
	simulator,
	unique,
	waitFor,
	type RegisteredServer,
} from '../harness/client.ts';

const db = rawDatabase();
let server: RegisteredServer;
const mine: string[] = [];

/** Today plus `offset` days, in the server's time zone (the tests run Directus on this machine). */
const day = (offset: number) => {
	const date = new Date();
	date.setDate(date.getDate() + offset);
	return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
};

async function setPolicy(policy: Record<string, unknown>) {
	const response = await api('PATCH', '/items/nextpanel_settings', { body: policy });
	expect(response.status, response.text).toBe(200);
}

async function provisioned(paidUntil: string | null, extra: Record<string, unknown> = {}): Promise<string> {
	const customer = await createCustomer();
	const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
	expect(created.status, created.text).toBe(201);
	const id = created.body.data.id as string;
	mine.push(id);
	// The term is the operator's to set, through the item API as the app does.
	const term = await api('PATCH', `/items/hosting_accounts/${id}`, { as: 'operator', body: { paid_until: paidUntil, ...extra } });
	expect(term.status, term.text).toBe(200);
	return id;
}

const runJob = async () => {
	const response = await api('POST', '/nextpanel/jobs/overdue', { body: {} });
	expect(response.status, response.text).toBe(200);
	return response.body.data as { processed: number; failed: number };
};
const preview = async () => {
	const response = await api('GET', '/nextpanel/overdue');
	expect(response.status, response.text).toBe(200);
	return response.body.data;
};
const suspendCalls = async (remoteId: number) =>
	(await simulator('b').calls({ method: 'POST', path: `/api/v1/billing/accounts/${remoteId}/suspend` })).count;

beforeAll(async () => {
	server = await registerServer({ simulator: 'b' });
	await setPolicy({
		overdue_suspend_after_days: 3,
		overdue_terminate_after_days: null,
		overdue_reminder_days_before: 7,
		overdue_max_actions_per_run: 25,
	});
});

afterEach(async () => {
	// Accounts of this file leave the automation, so the next test starts from its own.
	await db('hosting_accounts').whereIn('id', mine).update({ paid_until: null });
	await simulator('b').clearFaults();
});

afterAll(async () => {
	await db.destroy();
});

describe('the overdue policy', () => {
	test.each([
		[{ overdue_suspend_after_days: -1 }, /overdue_suspend_after_days: must be 0 or more/],
		[{ overdue_suspend_after_days: 1.5 }, /whole number of days/],
		[{ overdue_max_actions_per_run: 'many' }, /overdue_max_actions_per_run/],
		[{ overdue_terminate_after_days: 2 }, /must be more than overdue_suspend_after_days/],
	])('%o is refused with a 400 that says why, and nothing is saved', async (body, reason) => {
		const before = (await api('GET', '/items/nextpanel_settings')).body.data;
		const response = await api('PATCH', '/items/nextpanel_settings', { body });
		expect(response.status).toBe(400);
		expect(errorOf(response).message).toMatch(reason);
		expect((await api('GET', '/items/nextpanel_settings')).body.data).toEqual(before);
	});

	test('the operator policy may read it but not change it', async () => {
		expect((await api('GET', '/items/nextpanel_settings', { as: 'operator' })).status).toBe(200);
		expect((await api('PATCH', '/items/nextpanel_settings', { as: 'operator', body: { overdue_max_actions_per_run: 1000 } })).status).toBe(
			403,
		);
		expect((await api('GET', '/items/nextpanel_settings')).body.data.overdue_max_actions_per_run).toBe(25);
	});

	test('the state the job keeps is not for people to write', async () => {
		const id = await provisioned(null);
		const response = await api('PATCH', `/items/hosting_accounts/${id}`, {
			as: 'operator',
			body: { overdue_suspended_at: new Date().toISOString() },
		});
		expect(response.status).toBe(400);
		expect(errorOf(response).message).toMatch(/overdue_suspended_at: managed by NextPanel provisioning/);
	});
});

describe('the overdue job', () => {
	test('suspends an unpaid account after the grace days, marked as overdue; the preview showed it and calls nothing', async () => {
		const overdue = await provisioned(day(-4));
		const inGrace = await provisioned(day(-3));
		const remoteId = (await readAccount(overdue))['nextpanel_account_id'] as number;
		const callsBefore = (await simulator('b').calls()).count;
		const plan = await preview();
		expect((await simulator('b').calls()).count).toBe(callsBefore);
		expect(plan.rows).toContainEqual(
			expect.objectContaining({ account: overdue, action: 'suspend', paid_until: day(-4), due_since: day(0) }),
		);
		expect(plan.rows.map((r: { account: string }) => r.account)).not.toContain(inGrace);

		await runJob();
		const suspended = await readAccount(overdue);
		expect(suspended).toMatchObject({ status: 'suspended', suspend_reason: `Overdue: paid until ${day(-4)}` });
		expect(Date.parse(suspended['overdue_suspended_at'])).toBeGreaterThan(Date.now() - 60_000);
		expect((await simulator('b').accounts()).find((a) => a.id === remoteId)?.status).toBe('suspended');
		expect((await readAccount(inGrace))['status']).toBe('active');
		// The call log and Directus's activity and revisions name the job, not a person.
		const calls = (
			await api(
				'GET',
				`/items/nextpanel_logs?filter[hosting_account][_eq]=${overdue}&filter[action][_eq]=suspend_account&fields=user,actor`,
			)
		).body.data;
		expect(calls).toEqual([{ user: null, actor: 'overdue job' }]);
		const activity = (
			await api(
				'GET',
				`/activity?filter[collection][_eq]=hosting_accounts&filter[item][_eq]=${overdue}&filter[action][_eq]=update&fields=user,user_agent,origin,revisions.data&sort=-timestamp`,
			)
		).body.data as { user: string | null; user_agent: string; origin: string; revisions: { data: Record<string, unknown> }[] }[];
		const bySuspension = activity.find((entry) => entry.revisions.some((revision) => revision.data['status'] === 'suspended'));
		expect(bySuspension).toMatchObject({ user: null, user_agent: 'NextPanel overdue job', origin: 'nextpanel-job:overdue' });
		// A second run finds nothing more to do for it.
		await runJob();
		expect(await suspendCalls(remoteId)).toBe(1);
	});

	test('an exempt account is never suspended, and the preview lists it as held back', async () => {
		const exempt = await provisioned(day(-30), { overdue_exempt: true });
		const plan = await preview();
		expect(plan.held_back.exempt).toContainEqual(expect.objectContaining({ account: exempt, action: 'suspend' }));
		expect(plan.rows.map((r: { account: string }) => r.account)).not.toContain(exempt);
		await runJob();
		expect((await readAccount(exempt))['status']).toBe('active');
	});

	test('a payment brings an overdue suspension back at once; a manual suspension stays', async () => {
		const overdue = await provisioned(day(-10));
		await runJob();
		expect((await readAccount(overdue))['status']).toBe('suspended');
		const manual = await provisioned(null);
		expect((await api('POST', `/nextpanel/accounts/${manual}/suspend`, { body: { reason: 'Abuse report' } })).status).toBe(200);

		for (const id of [overdue, manual]) {
			expect((await api('PATCH', `/items/hosting_accounts/${id}`, { as: 'operator', body: { paid_until: day(30) } })).status).toBe(200);
		}
		const back = await waitFor(async () => {
			const account = await readAccount(overdue);
			return account['status'] === 'active' ? account : undefined;
		});
		expect(back['overdue_suspended_at']).toBeNull();
		expect(back['suspend_reason']).toBeNull();
		// Given the same time, the manual suspension is not lifted.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await readAccount(manual)).toMatchObject({ status: 'suspended', suspend_reason: 'Abuse report' });
	});

	test('terminates only an overdue suspension past the terminate days, and never an active account in one step', async () => {
		await setPolicy({ overdue_terminate_after_days: 14 });
		try {
			const long = await provisioned(day(-40));
			let plan = await preview();
			expect(plan.rows).toContainEqual(expect.objectContaining({ account: long, action: 'suspend' }));
			expect(plan.rows.filter((r: { account: string }) => r.account === long)).toHaveLength(1);
			await runJob();
			expect((await readAccount(long))['status']).toBe('suspended');
			plan = await preview();
			expect(plan.rows).toContainEqual(expect.objectContaining({ account: long, action: 'terminate', due_since: day(-25) }));
			await runJob();
			expect((await readAccount(long))['status']).toBe('terminated');
		} finally {
			await setPolicy({ overdue_terminate_after_days: null });
		}
	});

	test('the cap: at most that many actions per run, oldest due first; the rest wait and administrators are told', async () => {
		await setPolicy({ overdue_max_actions_per_run: 2 });
		try {
			const accounts = [await provisioned(day(-9)), await provisioned(day(-6)), await provisioned(day(-8)), await provisioned(day(-7))];
			const since = new Date(Date.now() - 1000).toISOString();
			const plan = await preview();
			expect(plan.rows.filter((r: { action: string }) => r.action === 'suspend').map((r: { account: string }) => r.account)).toEqual([
				accounts[0],
				accounts[2],
			]);
			expect(plan.held_back.cap.map((r: { account: string }) => r.account)).toEqual([accounts[3], accounts[1]]);

			await runJob();
			const statuses = await Promise.all(accounts.map(async (id) => (await readAccount(id))['status']));
			expect(statuses).toEqual(['suspended', 'active', 'suspended', 'active']);
			const notices = await api('GET', `/notifications?filter[subject][_contains]=wait for the next run&filter[timestamp][_gte]=${since}`);
			expect(notices.body.data.length).toBeGreaterThan(0);
			expect(notices.body.data[0].subject).toMatch(/^NextPanel: 2 overdue account\(s\) wait for the next run$/);
			await runJob();
			expect((await readAccount(accounts[3]!))['status']).toBe('suspended');
		} finally {
			await setPolicy({ overdue_max_actions_per_run: 25 });
		}
	});

	test('a payment during the run wins: before the last look the account is never suspended, after it the suspension is lifted at once', async () => {
		// Oldest due first: `first` is acted on first, and its identity check at NextPanel is slow.
		const first = await provisioned(day(-9));
		const second = await provisioned(day(-8));
		const [firstRemote, secondRemote] = [
			(await readAccount(first))['nextpanel_account_id'] as number,
			(await readAccount(second))['nextpanel_account_id'] as number,
		];
		await simulator('b').addFault({
			kind: 'latency',
			ms: 1500,
			times: 1,
			match: { method: 'GET', path: `/api/v1/billing/accounts/${firstRemote}` },
		});
		const run = runJob();
		await new Promise((resolve) => setTimeout(resolve, 500));
		// Both pay while the run waits on NextPanel: `first` after its last look, `second` before its own.
		for (const id of [first, second]) {
			expect((await api('PATCH', `/items/hosting_accounts/${id}`, { as: 'operator', body: { paid_until: day(30) } })).status).toBe(200);
		}
		await run;
		expect(await suspendCalls(secondRemote)).toBe(0);
		expect(await readAccount(second)).toMatchObject({ status: 'active', overdue_suspended_at: null });
		const lifted = await waitFor(async () => {
			const account = await readAccount(first);
			return account['status'] === 'active' ? account : undefined;
		});
		expect(lifted['overdue_suspended_at']).toBeNull();
		expect((await simulator('b').accounts()).find((a) => a.id === firstRemote)?.status).toBe('active');
	});

	test('two runs at once act on each account once', async () => {
		const ids = [await provisioned(day(-5)), await provisioned(day(-5)), await provisioned(day(-5))];
		await Promise.all([runJob(), runJob()]);
		for (const id of ids) {
			const account = await readAccount(id);
			expect(account['status']).toBe('suspended');
			expect(await suspendCalls(account['nextpanel_account_id'])).toBe(1);
		}
	});

	test('NextPanel failing in the middle of a run: retried, left active when it keeps failing, suspended once on the next run', async () => {
		const flaky = await provisioned(day(-5));
		const down = await provisioned(day(-5));
		const flakyRemote = (await readAccount(flaky))['nextpanel_account_id'] as number;
		const downRemote = (await readAccount(down))['nextpanel_account_id'] as number;
		await simulator('b').addFault({
			kind: 'status',
			status: 503,
			times: 1,
			match: { method: 'POST', path: `/api/v1/billing/accounts/${flakyRemote}/suspend` },
		});
		await simulator('b').addFault({
			kind: 'status',
			status: 503,
			match: { method: 'POST', path: `/api/v1/billing/accounts/${downRemote}/suspend` },
		});
		const report = await runJob();
		expect(report.failed).toBeGreaterThanOrEqual(1);
		expect((await readAccount(flaky))['status']).toBe('suspended');
		expect((await readAccount(down))['status']).toBe('active');
		await simulator('b').clearFaults();
		await runJob();
		expect((await readAccount(down))['status']).toBe('suspended');
		// A lost answer is not a second suspension: the retry finds it suspended already.
		expect((await simulator('b').accounts()).filter((a) => [flakyRemote, downRemote].includes(a.id)).map((a) => a.status)).toEqual([
			'suspended',
			'suspended',
		]);
	});

	test('a suspend whose answer is lost is not sent twice: the retry finds the account suspended already', async () => {
		const id = await provisioned(day(-5));
		const remoteId = (await readAccount(id))['nextpanel_account_id'] as number;
		await simulator('b').addFault({
			kind: 'reset_after_commit',
			times: 1,
			match: { method: 'POST', path: `/api/v1/billing/accounts/${remoteId}/suspend` },
		});
		const report = await runJob();
		expect(report.failed).toBe(0);
		expect(await readAccount(id)).toMatchObject({ status: 'suspended' });
		expect((await simulator('b').accounts()).find((a) => a.id === remoteId)?.status).toBe('suspended');
		// The retry was answered "already suspended", which the job checked against the server.
		expect(await suspendCalls(remoteId)).toBe(2);
	});

	test('mails: a reminder before paid_until and a suspension notice, each once per term', async () => {
		const customer = await createCustomer();
		const created = await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } });
		const id = created.body.data.id as string;
		mine.push(id);
		await api('PATCH', `/items/hosting_accounts/${id}`, { body: { paid_until: day(5) } });
		expect((await preview()).rows).toContainEqual(expect.objectContaining({ account: id, action: 'remind', due_since: day(-2) }));
		await runJob();
		await runJob();
		const reminders = await waitFor(async () => {
			const mails = mailsTo(customer.email).filter((m) => /term ends on/.test(m.subject));
			return mails.length ? mails : undefined;
		});
		expect(reminders).toHaveLength(1);
		expect(reminders[0]!.subject).toBe(`Your hosting term ends on ${day(5)}`);
		expect((await preview()).rows.map((r: { account: string }) => r.account)).not.toContain(id);

		await api('PATCH', `/items/hosting_accounts/${id}`, { body: { paid_until: day(-5) } });
		await runJob();
		const notices = await waitFor(async () => {
			const mails = mailsTo(customer.email).filter((m) => /suspended/.test(m.subject));
			return mails.length ? mails : undefined;
		});
		expect(notices).toHaveLength(1);
		expect(notices[0]!.html).toMatch(new RegExp(`paid until\\s+${day(-5)}`));
	});

	test('a Flow on payments extends the term with "Extend hosting term", and the overdue suspension is lifted', async () => {
		const id = await provisioned(day(-10));
		await runJob();
		expect((await readAccount(id))['status']).toBe('suspended');
		const flow = (
			await api('POST', '/flows', {
				body: {
					name: 'Payment received',
					status: 'active',
					trigger: 'webhook',
					options: { method: 'POST', async: false, return: '$last' },
					accountability: 'activity',
				},
			})
		).body.data;
		try {
			const rejected = (
				await api('POST', '/operations', {
					body: {
						flow: flow.id,
						key: 'rejected',
						name: 'Rejected',
						type: 'transform',
						position_x: 37,
						position_y: 19,
						options: { json: { rejected: true, error: '{{$last}}' } },
					},
				})
			).body.data;
			const operation = (
				await api('POST', '/operations', {
					body: {
						flow: flow.id,
						key: 'extend',
						name: 'Extend',
						type: 'nextpanel-extend-term',
						position_x: 19,
						position_y: 1,
						options: { account: '{{$trigger.body.account}}', months: '{{$trigger.body.months}}' },
						reject: rejected.id,
					},
				})
			).body.data;
			await api('PATCH', `/flows/${flow.id}`, { body: { operation: operation.id } });
			const bad = await api('POST', `/flows/trigger/${flow.id}`, { body: { account: id, months: 0 } });
			expect(bad.body.rejected, bad.text).toBe(true);
			expect(JSON.stringify(bad.body.error)).toMatch(/Extend hosting term: .*months: at least 1/);
			expect((await readAccount(id))['paid_until']).toBe(day(-10));

			// Two months from where the term ended: paid up again.
			const ran = await api('POST', `/flows/trigger/${flow.id}`, { body: { account: id, months: 2 } });
			expect(ran.status, ran.text).toBe(200);
			expect(ran.body.paid_until > day(0)).toBe(true);
			const back = await waitFor(async () => {
				const account = await readAccount(id);
				return account['status'] === 'active' ? account : undefined;
			});
			expect(back['overdue_suspended_at']).toBeNull();
		} finally {
			await api('DELETE', `/flows/${flow.id}`);
		}
	});

	test('an import can start the accounts it adopts on a term, and a bad date is a 400', async () => {
		// A NextPanel of its own, so "every account on the server" is the one seeded here.
		const sim = await createSimulator({
			port: 0,
			controlPort: 0,
			keys: [{ key: 'npk_terms', secret: 'nps_terms_secret', level: 'SUPER_ADMIN' }],
		});
		try {
			const own = (
				await api('POST', '/items/nextpanel_servers', {
					body: {
						name: unique('Import terms '),
						base_url: sim.apiUrl,
						api_key: 'npk_terms',
						api_secret: 'nps_terms_secret',
						capacity: 10,
						status: 'active',
					},
				})
			).body.data as { id: string };
			const customer = await createCustomer();
			const username = unique('term');
			const seeded = await fetch(`${sim.apiUrl}/api/v1/billing/accounts`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'X-API-Key': 'npk_terms', 'X-API-Secret': 'nps_terms_secret' },
				body: JSON.stringify({ username, email: customer.email, password: 'Imported-Before-1', billing_id: customer.id }),
			});
			expect(seeded.status).toBe(201);
			const bad = await api('POST', `/nextpanel/servers/${own.id}/import`, { body: { paid_until: '31.12.2026' } });
			expect(bad.status).toBe(400);
			expect(errorOf(bad).message).toMatch(/paid_until: must be a date \(YYYY-MM-DD\)/);
			const imported = await api('POST', `/nextpanel/servers/${own.id}/import`, { body: { paid_until: day(20), overdue_exempt: true } });
			expect(imported.status, imported.text).toBe(200);
			expect(imported.body.data.rows).toHaveLength(1);
			const row = imported.body.data.rows[0];
			expect(row).toMatchObject({ action: 'import', username });
			mine.push(row.hosting_account);
			expect(await readAccount(row.hosting_account)).toMatchObject({ paid_until: day(20), overdue_exempt: true, status: 'active' });
			await db('hosting_accounts').where({ id: row.hosting_account }).update({ status: 'terminated' });
		} finally {
			await sim.close();
		}
	});

	test('only administrators run it now, and a reader of hosting accounts may see the preview', async () => {
		expect((await api('POST', '/nextpanel/jobs/overdue', { as: 'operator', body: {} })).status).toBe(403);
		expect((await api('GET', '/nextpanel/overdue', { as: 'operator' })).status).toBe(200);
		expect((await api('GET', '/nextpanel/overdue', { as: 'public' })).status).toBe(401);
	});
});
