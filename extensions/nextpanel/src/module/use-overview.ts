// The data of the overview page. Each section loads on its own, so a role that may not read the
// call log still sees its servers, and every failure is reported where its section would be.
import { ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import type { AccountStatus, ServerCapacity } from '../shared/api-types.ts';
import { describeApiError } from '../shared/describe-api-error.ts';
import { useSetupStatus } from './use-setup-status.ts';

/** Pending or provisioning for longer than this is stuck, not busy. */
export const STUCK_AFTER_MINUTES = 5;

export interface ServerRow extends ServerCapacity {
	last_check_at: string | null;
	last_check_status: string | null;
	last_check_message: string | null;
	version: string | null;
	drift_checked_at?: string | null;
	drift_count?: number | null;
}

export interface AttentionRow {
	id: string;
	username: string;
	status: AccountStatus;
	/** The customer's id and name, the name read from the host's own name field. */
	customer: { id: string; name: string | null } | null;
	server: { name: string } | null;
	last_error: string | null;
	date_created: string | null;
}

interface Section<T> {
	rows: T[];
	error: string | null;
}

type ServerCheck = Pick<
	ServerRow,
	'id' | 'last_check_at' | 'last_check_status' | 'last_check_message' | 'version' | 'drift_checked_at' | 'drift_count'
>;

const settle = <T>(result: PromiseSettledResult<T[]>): Section<T> =>
	result.status === 'fulfilled' ? { rows: result.value, error: null } : { rows: [], error: describeApiError(result.reason) };

export function useOverview() {
	const setup = useSetupStatus();
	const api = useApi();
	const servers = ref<Section<ServerRow>>({ rows: [], error: null });
	const attention = ref<Section<AttentionRow>>({ rows: [], error: null });
	const loading = ref(false);

	async function loadServers(): Promise<ServerRow[]> {
		const [capacity, checks] = await Promise.all([
			api.get<{ data: ServerCapacity[] }>('/nextpanel/servers/capacity'),
			api.get<{ data: ServerCheck[] }>('/items/nextpanel_servers', {
				params: {
					fields: ['id', 'last_check_at', 'last_check_status', 'last_check_message', 'version', 'drift_checked_at', 'drift_count'],
					limit: -1,
				},
			}),
		]);
		const byId = new Map(checks.data.data.map((check) => [check.id, check]));
		return capacity.data.data.map((server) => ({
			last_check_at: null,
			last_check_status: null,
			last_check_message: null,
			version: null,
			...server,
			...byId.get(server.id),
		}));
	}

	async function loadAttention(): Promise<AttentionRow[]> {
		const names = setup.customers.value;
		const stuckBefore = new Date(Date.now() - STUCK_AFTER_MINUTES * 60_000).toISOString();
		const response = await api.get<{ data: (Omit<AttentionRow, 'customer'> & { customer: Record<string, unknown> | null })[] }>(
			'/items/hosting_accounts',
			{
				params: {
					fields: ['id', 'username', 'status', 'last_error', 'date_created', 'customer.id', `customer.${names.name_field}`, 'server.name'],
					filter: {
						_or: [
							{ status: { _eq: 'failed' } },
							{ _and: [{ status: { _in: ['pending', 'provisioning'] } }, { date_created: { _lt: stuckBefore } }] },
						],
					},
					sort: ['-date_created'],
					limit: 100,
				},
			},
		);
		return response.data.data.map((row) => ({
			...row,
			customer: row.customer
				? {
						id: String(row.customer['id']),
						name: typeof row.customer[names.name_field] === 'string' ? (row.customer[names.name_field] as string) : null,
					}
				: null,
		}));
	}

	async function load(): Promise<void> {
		loading.value = true;
		try {
			const [serverResult, attentionResult] = await Promise.allSettled([loadServers(), loadAttention()]);
			servers.value = settle(serverResult);
			attention.value = settle(attentionResult);
		} finally {
			loading.value = false;
		}
	}

	return { servers, attention, loading, load };
}
