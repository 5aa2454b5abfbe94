// The capacity insight: the rows of the one capacity query (core/lib/capacity.ts) that the
// module's cards and GET /nextpanel/servers/capacity read too, in the insight's shape.
import type { CapacityInsight } from '../../shared/wire/insights.ts';
import type { ServerUsage } from '../lib/capacity.ts';
import { isoOf } from './timestamps.ts';

export function capacityInsight(usage: readonly ServerUsage[]): CapacityInsight {
	return usage.map((server) => ({
		id: server.id,
		name: server.name,
		used: server.used,
		capacity: server.capacity,
		free: server.free,
		status: server.status,
		health: server.health,
		last_check_at: isoOf(server.lastCheckAt),
	}));
}
