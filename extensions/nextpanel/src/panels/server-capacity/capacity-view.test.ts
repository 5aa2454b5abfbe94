import { describe, expect, test } from 'vitest';
import type { CapacityRow } from '../../shared/wire/insights.ts';
import { capacityPercent, capacityView, capacityViews } from './capacity-view.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const row = (overrides: Partial<CapacityRow> = {}): CapacityRow => ({
	id: 'a1',
	name: 'eu-1',
	used: 40,
	capacity: 100,
	free: 60,
	status: 'active',
	health: 'ok',
	last_check_at: '2026-03-10T11:55:00Z',
	...overrides,
});

describe('capacityPercent', () => {
	test.each([
		[0, 100, 0],
		[40, 100, 40],
		[1, 3, 33],
		[120, 100, 100],
		[0, 0, 100],
	])('%i of %i is %i%', (used, capacity, percent) => {
		expect(capacityPercent(used, capacity)).toBe(percent);
	});
});

describe('capacityView', () => {
	test('a server with room shows its figures, no badge and a relative last check', () => {
		const view = capacityView(row(), NOW);
		expect(view).toMatchObject({ percent: 40, level: 'normal', chip: null, healthLabel: 'Connected', healthKind: 'success' });
		expect(view.figures).toBe('40 of 100 · 60 free');
		expect(view.check).toBe('Connected · checked 5 minutes ago');
	});

	test('80% and more is high, no free slot is full with a badge', () => {
		expect(capacityView(row({ used: 85, free: 15 }), NOW).level).toBe('high');
		const full = capacityView(row({ used: 100, free: 0 }), NOW);
		expect(full.level).toBe('full');
		expect(full.chip).toEqual({ label: 'Full', kind: 'warning' });
	});

	test('a server without slots is full, not empty', () => {
		expect(capacityView(row({ used: 0, capacity: 0, free: 0 }), NOW)).toMatchObject({ percent: 100, level: 'full' });
	});

	test('a disabled server says so, whatever its slots', () => {
		expect(capacityView(row({ status: 'disabled' }), NOW).chip).toEqual({ label: 'Disabled', kind: 'neutral' });
	});

	test.each([
		[null, 'Not tested', 'neutral'],
		['unreachable', 'Unreachable', 'danger'],
		['ip_not_allowed', 'IP address not allowed', 'warning'],
		['something_new', 'something_new', 'danger'],
	] as const)('health %j reads %j (%s)', (health, label, kind) => {
		expect(capacityView(row({ health }), NOW)).toMatchObject({ healthLabel: label, healthKind: kind });
	});

	test('a server never tested says so once', () => {
		expect(capacityView(row({ health: null, last_check_at: null }), NOW).check).toBe('Not tested');
	});
});

describe('capacityViews', () => {
	const rows = [row(), row({ id: 'b2', name: 'us-1' })];

	test('all servers without a Server option, only that one with it', () => {
		expect(capacityViews(rows, { server: null, now: NOW }).map((view) => view.id)).toEqual(['a1', 'b2']);
		expect(capacityViews(rows, { server: 'b2', now: NOW }).map((view) => view.id)).toEqual(['b2']);
		expect(capacityViews(rows, { server: 'zz', now: NOW })).toEqual([]);
	});
});
