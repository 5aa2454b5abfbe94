// The "NextPanel" Insights dashboard: created once, by an install step, with the bundle's five
// panels on it. From then on it is the administrator's: a moved panel, a changed option or a new
// panel stays, and a deleted dashboard stays deleted, because the step that made it never runs
// again. Removing the plugin takes only the panels of the bundle's own types (they cannot show
// anything without it), and the dashboard itself only when nothing of the administrator's is left on it.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import type { Runtime } from '../runtime.ts';
import { recordCreated } from './step-log.ts';

export const DASHBOARD_NAME = 'NextPanel';

/** The bundle's panel types; the panels (src/panels) are defined under these ids. */
export const PANEL_TYPES = {
	capacity: 'nextpanel-server-capacity',
	provisioning: 'nextpanel-provisioning-over-time',
	accounts: 'nextpanel-accounts-by-status',
	usage: 'nextpanel-usage-near-limits',
	calls: 'nextpanel-failures-and-calls',
} as const;

interface PanelPlacement {
	type: string;
	name: string;
	icon: string;
	/** Insights' grid units, 1-based. */
	x: number;
	y: number;
	width: number;
	height: number;
	options: Record<string, unknown>;
}

/**
 * Totals and health across the top, trends in the middle, the accounts and calls to act on at the
 * bottom; 40 grid units wide, so that it fits beside the sidebar of a 1440 px window.
 */
const PANELS: readonly PanelPlacement[] = [
	{ type: PANEL_TYPES.accounts, name: 'Accounts by status', icon: 'donut_small', x: 1, y: 1, width: 16, height: 21, options: {} },
	{ type: PANEL_TYPES.capacity, name: 'Server capacity', icon: 'dns', x: 17, y: 1, width: 24, height: 21, options: {} },
	{
		type: PANEL_TYPES.provisioning,
		name: 'Provisioning over time',
		icon: 'insights',
		x: 1,
		y: 22,
		width: 40,
		height: 16,
		options: { days: 30, interval: 'day' },
	},
	{ type: PANEL_TYPES.usage, name: 'Usage near limits', icon: 'data_usage', x: 1, y: 38, width: 22, height: 18, options: { limit: 10 } },
	{ type: PANEL_TYPES.calls, name: 'Failures and calls', icon: 'error_outline', x: 23, y: 38, width: 18, height: 18, options: { days: 7 } },
];

const SYSTEM: Accountability | null = null;

export async function createInsightsDashboard(runtime: Runtime, knex: Knex, schema: SchemaOverview): Promise<string> {
	const dashboards = new runtime.services.DashboardsService({ knex, schema, accountability: SYSTEM });
	const id = String(
		await dashboards.createOne({
			name: DASHBOARD_NAME,
			icon: 'dns',
			note: 'Hosting accounts, provisioning, capacity and NextPanel calls. Made by the NextPanel plugin once; change it as you like.',
			color: null,
		}),
	);
	const panels = new runtime.services.PanelsService({ knex, schema, accountability: SYSTEM });
	await panels.createMany(
		PANELS.map((panel) => ({
			dashboard: id,
			name: panel.name,
			icon: panel.icon,
			color: null,
			show_header: true,
			note: null,
			type: panel.type,
			position_x: panel.x,
			position_y: panel.y,
			width: panel.width,
			height: panel.height,
			options: panel.options,
		})),
	);
	await recordCreated(knex, [{ kind: 'dashboard', name: id }]);
	return id;
}

export interface DashboardRemoval {
	id: string;
	name: string;
	/** The bundle's panels on it, which go. */
	panels: number;
	/** Panels the administrator added, which stay, and keep the dashboard with them. */
	kept_panels: number;
}

/** What removing the plugin does to the dashboards it created and that still exist. */
export async function planDashboardRemoval(knex: Knex, ids: readonly string[]): Promise<DashboardRemoval[]> {
	if (!ids.length) return [];
	const rows: { id: string; name: string }[] = await knex('directus_dashboards').select('id', 'name').whereIn('id', ids);
	const ours = new Set<string>(Object.values(PANEL_TYPES));
	const plans: DashboardRemoval[] = [];
	for (const row of rows) {
		const panels: { type: string }[] = await knex('directus_panels').select('type').where('dashboard', row.id);
		const bundle = panels.filter((panel) => ours.has(panel.type)).length;
		plans.push({ id: String(row.id), name: row.name, panels: bundle, kept_panels: panels.length - bundle });
	}
	return plans;
}

export async function removeDashboard(runtime: Runtime, knex: Knex, plan: DashboardRemoval): Promise<void> {
	const schema = await runtime.getSchema({ bypassCache: true });
	const admin = { admin: true, app: false, user: null, role: null, roles: [], ip: null } as unknown as Accountability;
	if (plan.kept_panels === 0) {
		await new runtime.services.DashboardsService({ knex, schema, accountability: admin }).deleteOne(plan.id);
		return;
	}
	const ids: string[] = (
		await knex('directus_panels').select('id').where('dashboard', plan.id).whereIn('type', Object.values(PANEL_TYPES))
	).map((row: { id: string }) => String(row.id));
	if (ids.length) await new runtime.services.PanelsService({ knex, schema, accountability: admin }).deleteMany(ids);
}
