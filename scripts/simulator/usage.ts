// Usage figures that grow with an account's age, deterministic per account so tests can reason
// about them, capped at the package's limits, and overridable through the control API.
import type { Account, Usage } from './accounts.ts';

const PACKAGE_LIMITS: Record<number, { disk: number; bandwidth: number }> = {
	1: { disk: 1024, bandwidth: 10240 },
	2: { disk: 5120, bandwidth: 51200 },
	3: { disk: 20480, bandwidth: 204800 },
};
const DEFAULT_LIMITS = { disk: 10240, bandwidth: 102400 };

export function usageOf(account: Account, now = Date.now()): Usage {
	const limits = (account.package_id !== null && PACKAGE_LIMITS[account.package_id]) || DEFAULT_LIMITS;
	const minutes = Math.max(0, (now - Date.parse(account.created_at)) / 60_000);
	const seed = (account.id * 37) % 50;
	const grown = {
		disk_used_mb: Math.min(limits.disk, Math.round(10 + seed + minutes * 0.5)),
		disk_limit_mb: limits.disk,
		bandwidth_used_mb: Math.min(limits.bandwidth, Math.round(seed * 3 + minutes * 2)),
		bandwidth_limit_mb: limits.bandwidth,
		inodes_used: Math.round(100 + seed * 10 + minutes * 5),
	};
	return { ...grown, ...(account.usage_override ?? {}) };
}
