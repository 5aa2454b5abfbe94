// Usage figures that grow with an account's age: deterministic from the account id and the time
// since creation (so tests can predict them), capped at the package's limits, and pinned by the
// control API when a test needs particular numbers.
import type { StoredAccount, UsageFigures } from './accounts.ts';

export interface PackageLimits {
	disk_limit_mb: number;
	bandwidth_limit_mb: number;
}

export const DEFAULT_LIMITS: PackageLimits = { disk_limit_mb: 10240, bandwidth_limit_mb: 102400 };

/** A few packages with different limits, so a client can tell them apart. */
export const PACKAGE_LIMITS: Readonly<Record<number, PackageLimits>> = {
	1: { disk_limit_mb: 1024, bandwidth_limit_mb: 10240 },
	2: { disk_limit_mb: 5120, bandwidth_limit_mb: 51200 },
	3: { disk_limit_mb: 20480, bandwidth_limit_mb: 204800 },
};

/** Growth per minute of account age. */
export const GROWTH_PER_MINUTE = { disk_mb: 0.5, bandwidth_mb: 2, inodes: 5 };
const MAX_INODES = 1_000_000;

export interface AccountStats extends UsageFigures {
	updated_at: string;
}

export function limitsFor(packageId: number | null): PackageLimits {
	return (packageId !== null && PACKAGE_LIMITS[packageId]) || DEFAULT_LIMITS;
}

/** A per-account starting point, so two accounts of the same age do not look identical. */
function baseline(id: number): number {
	return (id * 37) % 50;
}

export function usageOf(account: StoredAccount, now: number): UsageFigures {
	const limits = limitsFor(account.package_id);
	const minutes = Math.max(0, (now - Date.parse(account.created_at)) / 60_000);
	const base = baseline(account.id);
	const grown: UsageFigures = {
		disk_used_mb: Math.min(limits.disk_limit_mb, Math.floor(10 + base + minutes * GROWTH_PER_MINUTE.disk_mb)),
		disk_limit_mb: limits.disk_limit_mb,
		bandwidth_used_mb: Math.min(limits.bandwidth_limit_mb, Math.floor(base * 3 + minutes * GROWTH_PER_MINUTE.bandwidth_mb)),
		bandwidth_limit_mb: limits.bandwidth_limit_mb,
		inodes_used: Math.min(MAX_INODES, Math.floor(100 + base * 10 + minutes * GROWTH_PER_MINUTE.inodes)),
	};
	return { ...grown, ...account.usage_override };
}

export function statsOf(account: StoredAccount, now: number): AccountStats {
	return { ...usageOf(account, now), updated_at: new Date(now).toISOString() };
}
