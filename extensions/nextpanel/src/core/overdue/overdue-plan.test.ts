import { describe, expect, test } from 'vitest';
import { DEFAULT_OVERDUE_POLICY, nextTermStep, overduePolicySchema } from '../../shared/overdue-policy.ts';
import { noticesOf, stillDue } from './overdue-plan.ts';
import { addDays, dayOf, dayValue, localDay } from './term-dates.ts';

const policy = { ...DEFAULT_OVERDUE_POLICY, overdue_suspend_after_days: 3, overdue_terminate_after_days: 14 };
const today = '2026-03-20';

describe('stillDue: the last look before the call', () => {
	const active = (paidUntil: string | null, extra = {}) => ({
		status: 'active',
		paid_until: paidUntil,
		overdue_exempt: false,
		overdue_suspended_at: null,
		...extra,
	});

	test('suspension is due from paid_until + suspend days + 1, and day 0 means the day after', () => {
		expect(stillDue('suspend', active('2026-03-16'), policy, today)).toBe(true);
		expect(stillDue('suspend', active('2026-03-17'), policy, today)).toBe(false);
		const zero = { ...policy, overdue_suspend_after_days: 0 };
		expect(stillDue('suspend', active('2026-03-19'), zero, today)).toBe(true);
		expect(stillDue('suspend', active('2026-03-20'), zero, today)).toBe(false);
	});

	test('a payment, an exemption, no term or another status since the plan: not due', () => {
		expect(stillDue('suspend', active('2026-04-20'), policy, today)).toBe(false);
		expect(stillDue('suspend', active('2026-01-01', { overdue_exempt: true }), policy, today)).toBe(false);
		expect(stillDue('suspend', active('2026-01-01', { overdue_exempt: 1 }), policy, today)).toBe(false);
		expect(stillDue('suspend', active(null), policy, today)).toBe(false);
		expect(stillDue('suspend', active('2026-01-01', { status: 'suspended' }), policy, today)).toBe(false);
	});

	test('termination: only an overdue suspension, only past the terminate days, only when configured', () => {
		const overdueSuspended = {
			status: 'suspended',
			paid_until: '2026-03-05',
			overdue_exempt: false,
			overdue_suspended_at: '2026-03-09T04:00:00Z',
		};
		expect(stillDue('terminate', overdueSuspended, policy, today)).toBe(true);
		expect(stillDue('terminate', { ...overdueSuspended, paid_until: '2026-03-06' }, policy, today)).toBe(false);
		expect(stillDue('terminate', { ...overdueSuspended, overdue_suspended_at: null }, policy, today)).toBe(false);
		expect(stillDue('terminate', { ...overdueSuspended, status: 'active' }, policy, today)).toBe(false);
		expect(stillDue('terminate', overdueSuspended, { ...policy, overdue_terminate_after_days: null }, today)).toBe(false);
	});
});

describe('term days', () => {
	test('addDays crosses months, leap days and years', () => {
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
	});

	test('dayOf reads what SQLite (milliseconds), PostgreSQL (a Date) and JSON (text) return, as Directus wrote it', () => {
		expect(dayOf(dayValue('2026-03-12').getTime())).toBe('2026-03-12');
		expect(dayOf(String(dayValue('2026-03-12').getTime()))).toBe('2026-03-12');
		expect(dayOf(dayValue('2026-03-12'))).toBe('2026-03-12');
		expect(dayOf('2026-03-12')).toBe('2026-03-12');
		expect(dayOf(null)).toBeNull();
		expect(dayOf('soon')).toBeNull();
		expect(dayOf(new Date('nope'))).toBeNull();
		expect(localDay(new Date(2026, 2, 12, 23, 59))).toBe('2026-03-12');
	});

	test('noticesOf survives what a JSON column may hold', () => {
		expect(noticesOf('{"reminded_for":"2026-03-12"}')).toEqual({ reminded_for: '2026-03-12' });
		expect(noticesOf({ suspended_for: '2026-03-12' })).toEqual({ suspended_for: '2026-03-12' });
		expect(noticesOf('not json')).toEqual({});
		expect(noticesOf(null)).toEqual({});
	});
});

describe('the policy rules', () => {
	test('the defaults hold, and termination must come after suspension', () => {
		expect(overduePolicySchema.safeParse(DEFAULT_OVERDUE_POLICY).success).toBe(true);
		const equal = overduePolicySchema.safeParse({ ...DEFAULT_OVERDUE_POLICY, overdue_terminate_after_days: 3 });
		expect(equal.success).toBe(false);
		expect(equal.error?.issues[0]?.path).toEqual(['overdue_terminate_after_days']);
		expect(overduePolicySchema.safeParse({ ...DEFAULT_OVERDUE_POLICY, overdue_terminate_after_days: 4 }).success).toBe(true);
		expect(overduePolicySchema.safeParse({ ...DEFAULT_OVERDUE_POLICY, overdue_reminder_days_before: -2 }).success).toBe(false);
		expect(overduePolicySchema.safeParse({ ...DEFAULT_OVERDUE_POLICY, overdue_max_actions_per_run: 2.5 }).success).toBe(false);
	});
});

describe('nextTermStep: what the panel says comes next', () => {
	const base = { status: 'active', paid_until: '2026-03-12', overdue_exempt: false, overdue_suspended_at: null };
	test('the day of the next step, the same day the job takes it', () => {
		expect(nextTermStep(base, policy)).toEqual({ action: 'suspend', on: '2026-03-16' });
		expect(stillDue('suspend', base, policy, '2026-03-16')).toBe(true);
		expect(stillDue('suspend', base, policy, '2026-03-15')).toBe(false);
		const suspended = { ...base, status: 'suspended', overdue_suspended_at: '2026-03-16T04:00:00Z' };
		expect(nextTermStep(suspended, policy)).toEqual({ action: 'terminate', on: '2026-03-27' });
		expect(stillDue('terminate', suspended, policy, '2026-03-27')).toBe(true);
		expect(stillDue('terminate', suspended, policy, '2026-03-26')).toBe(false);
	});

	test('nothing comes next without a term, for an exempt account, a manual suspension, or without termination', () => {
		expect(nextTermStep({ ...base, paid_until: null }, policy)).toBeNull();
		expect(nextTermStep({ ...base, overdue_exempt: true }, policy)).toBeNull();
		expect(nextTermStep({ ...base, status: 'suspended' }, policy)).toBeNull();
		expect(
			nextTermStep({ ...base, status: 'suspended', overdue_suspended_at: 'x' }, { ...policy, overdue_terminate_after_days: null }),
		).toBeNull();
		expect(nextTermStep({ ...base, status: 'terminated' }, policy)).toBeNull();
	});
});
