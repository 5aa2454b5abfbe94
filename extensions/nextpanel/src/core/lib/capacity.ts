// How full each NextPanel server is: the slots its live accounts take, and the free ones. The one
// capacity query: automatic server choice, GET /nextpanel/servers/capacity, the module's cards and
// the capacity insight all count slots here.
import type { Knex } from 'knex';
import { parsePackages, type ServerPackage } from '../../shared/packages.ts';
import { SLOT_HOLDING, type AccountStatus } from '../../shared/account-states.ts';

export interface ServerUsage {
	id: string;
	name: string;
	status: string;
	capacity: number;
	used: number;
	free: number;
	packages: ServerPackage[];
	/** The last connection check's status, null before the first (or where the row was not read with it). */
	health: string | null;
	/** As the driver returns it. */
	lastCheckAt: unknown;
}

export async function slotsUsed(knex: Knex, serverIds: string[], excludeAccountId?: string): Promise<Map<string, number>> {
	if (serverIds.length === 0) return new Map();
	const query = knex('hosting_accounts')
		.select('server')
		.count({ used: '*' })
		.whereIn('server', serverIds)
		.whereIn('status', SLOT_HOLDING as AccountStatus[])
		.groupBy('server');
	if (excludeAccountId) query.whereNot('id', excludeAccountId);
	const rows = (await query) as { server: string; used: number | string }[];
	return new Map(rows.map((row) => [String(row.server), Number(row.used)]));
}

export function withUsage(
	servers: {
		id: string;
		name: string;
		status: string;
		capacity: number | string;
		packages?: unknown;
		last_check_status?: string | null;
		last_check_at?: unknown;
	}[],
	used: Map<string, number>,
): ServerUsage[] {
	return servers.map((server) => {
		const capacity = Number(server.capacity);
		const count = used.get(String(server.id)) ?? 0;
		return {
			id: String(server.id),
			name: server.name,
			status: server.status,
			capacity,
			used: count,
			free: Math.max(0, capacity - count),
			packages: parsePackages(server.packages),
			health: server.last_check_status ?? null,
			lastCheckAt: server.last_check_at ?? null,
		};
	});
}

export async function serverUsage(knex: Knex, filter: { ids?: string[] } = {}): Promise<ServerUsage[]> {
	const query = knex('nextpanel_servers')
		.select('id', 'name', 'status', 'capacity', 'packages', 'last_check_status', 'last_check_at')
		.orderBy('name');
	if (filter.ids) query.whereIn('id', filter.ids);
	const servers = await query;
	return withUsage(
		servers,
		await slotsUsed(
			knex,
			servers.map((s) => String(s.id)),
		),
	);
}

/** The active server with the most free slots, or null when every active server is full. */
export function mostFreeActive(usage: ServerUsage[]): ServerUsage | null {
	return usage
		.filter((s) => s.status === 'active' && s.free > 0)
		.reduce<ServerUsage | null>((best, s) => (!best || s.free > best.free ? s : best), null);
}
