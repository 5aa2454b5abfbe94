// What the capacity panel draws for each server: how full it is, in words and as a bar level, its
// state and the outcome of its last connection check.
import { CONNECTION_STATUS_KINDS, knownConnectionStatus } from '../../interfaces/connection-test/strings.ts';
import { formatRelative } from '../../interfaces/shared/format.ts';
import type { CapacityRow } from '../../shared/wire/insights.ts';
import { strings } from '../shared/strings.ts';

export type Kind = 'neutral' | 'success' | 'warning' | 'danger';

export interface CapacityView {
	id: string;
	name: string;
	used: number;
	capacity: number;
	free: number;
	/** 0-100 for the bar; a server without slots (capacity 0) is full. */
	percent: number;
	level: 'normal' | 'high' | 'full';
	figures: string;
	/** A badge only where it matters: a disabled or a full server. */
	chip: { label: string; kind: Kind } | null;
	health: string | null;
	healthLabel: string;
	healthKind: Kind;
	/** The health and when it was checked, in one line. */
	check: string;
}

const HIGH = 80;

export function capacityPercent(used: number, capacity: number): number {
	return capacity > 0 ? Math.min(100, Math.round((used / capacity) * 100)) : 100;
}

export function capacityView(row: CapacityRow, now: number): CapacityView {
	const percent = capacityPercent(row.used, row.capacity);
	const full = row.free <= 0;
	const known = knownConnectionStatus(row.health);
	return {
		id: row.id,
		name: row.name,
		used: row.used,
		capacity: row.capacity,
		free: row.free,
		percent,
		level: full ? 'full' : percent >= HIGH ? 'high' : 'normal',
		figures: strings.capacity.figures(row.used, row.capacity, row.free),
		chip:
			row.status !== 'active'
				? { label: strings.capacity.disabled, kind: 'neutral' }
				: full
					? { label: strings.capacity.full, kind: 'warning' }
					: null,
		health: row.health,
		healthLabel: strings.capacity.health(row.health),
		healthKind: row.health === null ? 'neutral' : known ? CONNECTION_STATUS_KINDS[known] : 'danger',
		check:
			row.health === null
				? strings.capacity.health(null)
				: strings.capacity.check(
						strings.capacity.health(row.health),
						row.last_check_at ? strings.capacity.lastCheck(formatRelative(row.last_check_at, now)) : strings.capacity.never,
					),
	};
}

/** The servers a panel shows: all of them, or the one its Server option names. */
export function capacityViews(rows: readonly CapacityRow[], { server, now }: { server: string | null; now: number }): CapacityView[] {
	return rows.filter((row) => server === null || row.id === server).map((row) => capacityView(row, now));
}
