// `uninstall` removes what the plugin created in a project (its install log says what), and
// `repair` undoes what an earlier version put on a Directus system collection. Both show the plan
// first; with --dry-run nothing else happens.
import type { RemovalPlan, RemovalReport } from '../../extensions/nextpanel/src/shared/wire/removal.ts';
import type { Directus } from './connection.ts';

export interface RemovalOptions {
	dryRun: boolean;
	deleteData?: boolean;
}

export async function removal(directus: Directus, mode: 'uninstall' | 'repair', options: RemovalOptions): Promise<RemovalReport> {
	const body = { dry_run: options.dryRun, ...(mode === 'uninstall' ? { delete_data: Boolean(options.deleteData) } : {}) };
	return (await directus.nextpanel<{ data: RemovalReport }>('POST', `/${mode}`, body)).data;
}

function list(title: string, items: readonly string[]): void {
	if (!items.length) return;
	console.log(`${title}:`);
	for (const item of items) console.log(`  - ${item}`);
}

export function printRemoval(report: RemovalReport): void {
	const plan: RemovalPlan = report.plan;
	const verb = report.applied ? 'Removed' : 'Would remove';
	if (plan.mode === 'uninstall') {
		list(
			`${verb} these collections`,
			plan.collections.map((c) => `${c.collection} (${c.rows} row(s))`),
		);
		list(`${verb} these fields of your collections`, plan.fields);
		list(`${verb} these relations`, plan.relations);
		list(
			`${verb} these policies`,
			plan.policies.map((p) => `${p.name} (${p.id})`),
		);
		list(
			`${verb} these list presets`,
			plan.presets.map((id) => `#${id}`),
		);
		list(
			`${verb} the NextPanel panels of these dashboards`,
			plan.dashboards.map((d) =>
				d.kept_panels
					? `${d.name} (${d.panels} panel(s); the dashboard stays with your ${d.kept_panels})`
					: `${d.name}, the whole dashboard`,
			),
		);
		list(
			`${verb} these flows`,
			plan.flows.map((f) => `${f.name} (${f.id})`),
		);
		if (plan.module_bar) console.log(`${verb} the NextPanel entry of the module bar, and the install log.`);
	}
	list(report.applied ? 'Repaired' : 'Would repair', plan.repairs);
	list('Blocked', plan.blockers);
	list('Notes', plan.notes);
	if (report.dry_run) console.log('Dry run: nothing was changed.');
}
