import { describe, expect, test } from 'vitest';
import type { CreateAccountRequest, NextPanelAccount } from '../nextpanel/contract.ts';
import { NextPanelFailure, type FailureCode } from '../nextpanel/failure.ts';
import { runProvisioning, type RunDependencies, type RunInput } from './provisioning-run.ts';

type Step = NextPanelAccount | NextPanelAccount[] | NextPanelFailure | Error;

/** A NextPanel that answers each create and each list from a script, and records what was asked. */
class ScriptedNextPanel {
	readonly calls: string[] = [];
	readonly #creates: Step[];
	readonly #lists: Step[];

	constructor({ creates = [], lists = [] }: { creates?: Step[]; lists?: Step[] }) {
		this.#creates = creates;
		this.#lists = lists;
	}

	async createAccount(request: CreateAccountRequest): Promise<NextPanelAccount> {
		this.calls.push(`create ${request.username}`);
		return this.#next(this.#creates, 'create') as NextPanelAccount;
	}

	async listAccounts(): Promise<NextPanelAccount[]> {
		this.calls.push('list');
		return this.#next(this.#lists, 'list') as NextPanelAccount[];
	}

	#next(script: Step[], what: string): Step {
		const step = script.shift();
		if (!step) throw new Error(`unexpected ${what}`);
		if (step instanceof Error) throw step;
		return step;
	}
}

const failure = (code: FailureCode, mayHaveReachedServer = true) =>
	new NextPanelFailure({ code, message: `NextPanel said ${code}.`, mayHaveReachedServer });
const remote = (id: number, username = 'ada', billing_id: string | null = 'customer-1'): NextPanelAccount => ({
	id,
	username,
	billing_id,
	status: 'active',
});

const request: CreateAccountRequest = {
	username: 'ada',
	email: 'ada@example.com',
	password: 'Correct-Horse-9-Battery',
	full_name: 'Ada',
	phone: null,
	company: null,
	package_id: null,
	is_admin: false,
	billing_id: 'customer-1',
	metadata: { created_from: 'billing_system', billing_customer_id: 'customer-1', hosting_account_id: 'account-1', account_type: 'panel' },
};

function setup(
	panel: ScriptedNextPanel,
	options: { createAttempted?: boolean; attempts?: number; budget?: number; linkedElsewhere?: boolean } = {},
) {
	const writes: string[] = [];
	const sleeps: number[] = [];
	const deps: RunDependencies = {
		client: panel,
		settings: { attemptsPerRun: 3, attemptsBudget: options.budget ?? 12, retryBaseMs: 100, retryMaxMs: 10_000 },
		markCreateSending: async (attempts) => void writes.push(`mark ${attempts}`),
		clearCreateMark: async () => void writes.push('clear'),
		extendLease: async () => void writes.push('lease'),
		isLinkedElsewhere: async () => options.linkedElsewhere ?? false,
		sleep: async (ms) => void sleeps.push(ms),
		now: () => 1_000_000,
		random: () => 0.5,
	};
	const createAttempted = options.createAttempted ?? false;
	const input: RunInput = {
		account: { id: 'account-1', username: 'ada', attempts: options.attempts ?? 0, create_attempted: createAttempted },
		firstCreatePrepaid: !createAttempted,
		request,
		serverName: 'Panel A',
	};
	return { run: () => runProvisioning(deps, input), writes, sleeps };
}

describe('runProvisioning', () => {
	test('a fresh account is created once, with the mark the claim already wrote', async () => {
		const panel = new ScriptedNextPanel({ creates: [remote(7)] });
		const { run, writes } = setup(panel);
		expect(await run()).toEqual({ outcome: 'active', remote: remote(7), adopted: false, attempts: 1 });
		expect(panel.calls).toEqual(['create ada']);
		expect(writes).toEqual([]);
	});

	test('after an interrupted create, an account found by name and billing id is adopted without creating another', async () => {
		const panel = new ScriptedNextPanel({ lists: [[remote(3, 'bob', 'x'), remote(9)]] });
		const { run } = setup(panel, { createAttempted: true, attempts: 1 });
		expect(await run()).toEqual({ outcome: 'active', remote: remote(9), adopted: true, attempts: 1 });
		expect(panel.calls).toEqual(['list']);
	});

	test.each([
		['another billing id', { lists: [[remote(9, 'ada', 'someone-else')]] }, {}],
		['no billing id', { lists: [[remote(9, 'ada', null)]] }, {}],
		['an account another hosting account already holds', { lists: [[remote(9)]] }, { linkedElsewhere: true }],
	])('after an interrupted create, the name held by %s is refused, and nothing is created', async (_label, script, options) => {
		const panel = new ScriptedNextPanel(script);
		const { run } = setup(panel, { createAttempted: true, ...options });
		const result = await run();
		expect(result).toMatchObject({ outcome: 'failed', failure: null });
		expect(result.outcome === 'failed' && result.reason).toMatch(/belongs to someone else/);
		expect(panel.calls).toEqual(['list']);
	});

	test('after an interrupted create that never landed, the next create is recorded before it is sent', async () => {
		const panel = new ScriptedNextPanel({ lists: [[]], creates: [remote(4)] });
		const { run, writes } = setup(panel, { createAttempted: true, attempts: 2 });
		expect(await run()).toEqual({ outcome: 'active', remote: remote(4), adopted: false, attempts: 3 });
		expect(panel.calls).toEqual(['list', 'create ada']);
		expect(writes).toEqual(['mark 3']);
	});

	test('"already exists" for our own account (a lost 201) adopts it', async () => {
		const panel = new ScriptedNextPanel({ creates: [failure('already_exists')], lists: [[remote(5)]] });
		const { run } = setup(panel);
		expect(await run()).toEqual({ outcome: 'active', remote: remote(5), adopted: true, attempts: 1 });
	});

	test('"already exists" for someone else fails with the reason and the failure', async () => {
		const taken = failure('already_exists');
		const panel = new ScriptedNextPanel({ creates: [taken], lists: [[remote(5, 'ada', 'other')]] });
		const result = await setup(panel).run();
		expect(result).toMatchObject({ outcome: 'failed', failure: taken, attempts: 1 });
	});

	test('"already exists" whose lookup fails for a while is looked up again in the next round', async () => {
		const panel = new ScriptedNextPanel({ creates: [failure('already_exists')], lists: [failure('timeout'), [remote(5)]] });
		const { run, sleeps } = setup(panel);
		expect(await run()).toMatchObject({ outcome: 'active', adopted: true });
		expect(panel.calls).toEqual(['create ada', 'list', 'list']);
		expect(sleeps).toHaveLength(1);
	});

	test('"already exists" whose lookup is refused fails with that refusal', async () => {
		const refused = failure('auth_failed');
		const panel = new ScriptedNextPanel({ creates: [failure('already_exists')], lists: [refused] });
		expect(await setup(panel).run()).toMatchObject({ outcome: 'failed', failure: refused });
	});

	test.each(['invalid', 'auth_failed', 'insufficient_permission', 'rejected'] as const)(
		'a %s answer fails at once, without retrying',
		async (code) => {
			const panel = new ScriptedNextPanel({ creates: [failure(code)] });
			const { run, sleeps } = setup(panel);
			expect(await run()).toMatchObject({ outcome: 'failed', attempts: 1, failure: { code } });
			expect(sleeps).toEqual([]);
		},
	);

	test('a create refused before it left this machine is not looked up; the mark is cleared and set again', async () => {
		const panel = new ScriptedNextPanel({ creates: [failure('unreachable', false), remote(6)] });
		const { run, writes } = setup(panel);
		expect(await run()).toMatchObject({ outcome: 'active', adopted: false, attempts: 2 });
		expect(panel.calls).toEqual(['create ada', 'create ada']);
		expect(writes).toEqual(['clear', 'lease', 'mark 2']);
	});

	test('a create that timed out is looked up before it is sent again', async () => {
		const panel = new ScriptedNextPanel({ creates: [failure('timeout'), remote(8)], lists: [[]] });
		const { run, writes } = setup(panel);
		expect(await run()).toMatchObject({ outcome: 'active', adopted: false, attempts: 2 });
		expect(panel.calls).toEqual(['create ada', 'list', 'create ada']);
		expect(writes).toEqual(['lease', 'mark 2']);
	});

	test('NextPanel down for the whole run: the next try is scheduled with backoff and said in words', async () => {
		const down = () => failure('unreachable', false);
		const panel = new ScriptedNextPanel({ creates: [down(), down(), down()] });
		const { run, sleeps } = setup(panel);
		const result = await run();
		expect(result).toMatchObject({ outcome: 'retry_scheduled', attempts: 3 });
		if (result.outcome !== 'retry_scheduled') return;
		expect(result.nextAttemptAt.getTime()).toBeGreaterThan(1_000_000);
		expect(result.reason).toMatch(/attempt 3 of 12; next try in \d+ s/);
		expect(sleeps).toEqual([75, 150]);
	});

	test('the attempt budget ends in failed, with what to do', async () => {
		const panel = new ScriptedNextPanel({ creates: [failure('server_error', false), failure('server_error', false)] });
		const result = await setup(panel, { attempts: 10, budget: 12 }).run();
		expect(result).toMatchObject({ outcome: 'failed', attempts: 12 });
		expect(result.outcome === 'failed' && result.reason).toMatch(/Gave up after 12 attempts; retry it when NextPanel is back/);
		expect(panel.calls).toEqual(['create ada', 'create ada']);
	});

	test('anything that is not a NextPanel failure is not caught', async () => {
		const panel = new ScriptedNextPanel({ creates: [new TypeError('a bug')] });
		await expect(setup(panel).run()).rejects.toThrow('a bug');
	});
});
