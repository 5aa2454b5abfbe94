import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { followMyProvisioning, outcomeToast, tellOutcome, type OutcomeAccount, type OutcomeToast } from './provisioning-outcome.ts';

const texts = {
	active: (username: string) => `${username} is active`,
	failed: (username: string) => `${username} failed`,
	waiting: (username: string) => `${username} waits`,
};
const account = (id: string, status: string, last_error: string | null = null): OutcomeAccount =>
	({ id, username: `user_${id}`, status, last_error }) as OutcomeAccount;

describe('outcomeToast', () => {
	test('active, failed with its reason, and waiting for a retry; nothing while in flight', () => {
		expect(outcomeToast(account('1', 'active'), texts)).toMatchObject({ title: 'user_1 is active', type: 'success' });
		expect(outcomeToast(account('1', 'failed', 'NextPanel refused the key'), texts)).toMatchObject({
			title: 'user_1 failed',
			text: 'NextPanel refused the key',
			type: 'error',
		});
		expect(outcomeToast(account('1', 'pending', 'NextPanel answered 503'), texts)).toMatchObject({
			title: 'user_1 waits',
			type: 'warning',
		});
		expect(outcomeToast(account('1', 'pending'), texts)).toBeNull();
		expect(outcomeToast(account('1', 'provisioning'), texts)).toBeNull();
	});
});

describe('tellOutcome', () => {
	test('tells each outcome of an account once', () => {
		const shown: OutcomeToast[] = [];
		const show = (toast: OutcomeToast) => shown.push(toast);
		expect(tellOutcome(account('t1', 'pending', 'timeout'), texts, show)).toBe(true);
		expect(tellOutcome(account('t1', 'pending', 'timeout'), texts, show)).toBe(false);
		expect(tellOutcome(account('t1', 'active'), texts, show)).toBe(true);
		expect(tellOutcome(account('t1', 'active'), texts, show)).toBe(false);
		expect(shown.map((toast) => toast.title)).toEqual(['user_t1 waits', 'user_t1 is active']);
	});
});

describe('followMyProvisioning', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	test("follows the person's new accounts until they settle, then stops asking", async () => {
		const answers = [[account('f1', 'provisioning')], [account('f1', 'provisioning')], [account('f1', 'active')]];
		const asked: unknown[] = [];
		const api = {
			get: vi.fn(async (_path: string, options: unknown) => {
				asked.push(options);
				return { data: { data: answers.shift() ?? [account('f1', 'active')] } };
			}),
		};
		const shown: OutcomeToast[] = [];
		followMyProvisioning(api as never, texts, (toast) => shown.push(toast));
		// Started again while it runs: still one watch.
		followMyProvisioning(api as never, texts, (toast) => shown.push(toast));
		await vi.advanceTimersByTimeAsync(10_000);
		expect(shown.map((toast) => toast.title)).toEqual(['user_f1 is active']);
		expect(api.get).toHaveBeenCalledTimes(3);
		expect(JSON.stringify(asked[0])).toContain('$CURRENT_USER');
	});

	test('with nothing to follow it asks once', async () => {
		const api = { get: vi.fn(async () => ({ data: { data: [] } })) };
		followMyProvisioning(api as never, texts, () => undefined);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(api.get).toHaveBeenCalledTimes(1);
	});
});
