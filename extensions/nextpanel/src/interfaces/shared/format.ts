// Small formatting rules shared by the interfaces and the module, so a date or a size reads the
// same everywhere.
import type { AccountStatus } from '../../shared/api-types.ts';

export const NONE = '—';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(value: string | null | undefined): string {
	if (!value) return NONE;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? value : dateTime.format(date);
}

export function formatMegabytes(mb: number): string {
	return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}

/** 0-100, or null when there is nothing to compare against. */
export function usagePercent(used: number | null, limit: number | null): number | null {
	if (used === null || !limit || limit <= 0) return null;
	return Math.min(100, Math.round((used / limit) * 100));
}

/** `v-chip` kinds for each account status. */
export const STATUS_KINDS: Record<AccountStatus, 'neutral' | 'info' | 'success' | 'warning' | 'danger'> = {
	pending: 'neutral',
	provisioning: 'info',
	active: 'success',
	suspended: 'warning',
	failed: 'danger',
	terminated: 'neutral',
};
