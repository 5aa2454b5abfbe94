// Shapes the app reads from the /nextpanel routes and the items API.
export type CheckName = 'reachable' | 'credentials' | 'permission' | 'version';

export interface ConnectionCheck {
	name: CheckName;
	ok: boolean;
	skipped: boolean;
	message: string;
}

export interface ConnectionTestResult {
	ok: boolean;
	status: string;
	message: string;
	version: string | null;
	latency_ms: number | null;
	checks: ConnectionCheck[];
}

export interface ServerCapacity {
	id: string;
	name: string;
	status: 'active' | 'disabled';
	capacity: number;
	active_accounts: number;
	free_slots: number;
	full: boolean;
}

export type AccountStatus = 'pending' | 'provisioning' | 'active' | 'suspended' | 'failed' | 'terminated';

export interface HostingAccount {
	id: string;
	customer: string;
	server: { id: string; name: string } | string | null;
	username: string;
	package: number | null;
	status: AccountStatus;
	nextpanel_account_id: number | null;
	last_error: string | null;
	attempts: number;
	provisioned_at: string | null;
	suspended_at: string | null;
	suspend_reason: string | null;
	terminated_at: string | null;
	disk_used_mb: number | null;
	disk_limit_mb: number | null;
	bandwidth_used_mb: number | null;
	bandwidth_limit_mb: number | null;
	usage_synced_at: string | null;
	welcome_mail: string | null;
	date_created: string | null;
}

export const STATUS_COLORS: Record<AccountStatus, string> = {
	pending: 'var(--theme--foreground-subdued)',
	provisioning: 'var(--theme--primary)',
	active: 'var(--theme--success)',
	suspended: 'var(--theme--warning)',
	failed: 'var(--theme--danger)',
	terminated: 'var(--theme--foreground-subdued)',
};

export function serverName(account: HostingAccount): string {
	return account.server && typeof account.server === 'object' ? account.server.name : '—';
}

export function formatDate(value: string | null): string {
	if (!value) return '—';
	const date = new Date(/^\d+$/.test(value) ? Number(value) : value);
	return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}
