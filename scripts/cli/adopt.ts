// `import --server <id>` adopts the accounts a NextPanel server already has (a dry run first, then
// the import in chunks with a progress bar and a summary); `drift --server <id>` lists where
// Directus and NextPanel disagree, with an exit code for scripts (0 in step, 1 drift).
import { writeFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import type { ImportRow } from '../../extensions/nextpanel/src/shared/wire/import.ts';
import type { DriftRow } from '../../extensions/nextpanel/src/shared/wire/drift.ts';
import type { ImportReport } from '../../extensions/nextpanel/src/shared/wire/import.ts';
import type { Directus } from './connection.ts';

export interface ImportOptions {
	server: string;
	dryRun: boolean;
	createCustomers: boolean;
	report?: string;
	progress: boolean;
	/** Accounts per request. */
	chunk?: number;
}

const MATCH_WORDS: Record<string, string> = { billing_id: 'by billing id', email: 'by e-mail', new_customer: 'new customer' };

export async function importAccounts(directus: Directus, options: ImportOptions): Promise<{ rows: ImportRow[]; warnings: string[] }> {
	const body = { create_customers: options.createCustomers };
	const plan = (await directus.nextpanel<{ data: ImportReport }>('POST', `/servers/${options.server}/import`, { ...body, dry_run: true }))
		.data;
	const importing = plan.rows.filter((row) => row.action === 'import');
	const rows = new Map(plan.rows.map((row) => [row.remote_id, row]));
	if (!options.dryRun && importing.length) {
		const size = options.chunk ?? 200;
		const bar =
			options.progress && process.stderr.isTTY
				? new SingleBar({ format: 'importing {bar} {value}/{total}', clearOnComplete: true }, Presets.shades_classic)
				: null;
		bar?.start(importing.length, 0);
		for (let i = 0; i < importing.length; i += size) {
			const only = importing.slice(i, i + size).map((row) => row.remote_id);
			const done = (await directus.nextpanel<{ data: ImportReport }>('POST', `/servers/${options.server}/import`, { ...body, only })).data;
			for (const row of done.rows) rows.set(row.remote_id, row);
			bar?.update(Math.min(i + size, importing.length));
		}
		bar?.stop();
	}
	const result = { rows: [...rows.values()], warnings: plan.warnings };
	if (options.report) writeFileSync(options.report, JSON.stringify({ dry_run: options.dryRun, ...result }, null, 2));
	return result;
}

export function printImport(result: { rows: ImportRow[]; warnings: string[] }, dryRun: boolean): void {
	const count = (predicate: (row: ImportRow) => boolean) => result.rows.filter(predicate).length;
	const summary = new Table({ head: ['', 'accounts'] });
	summary.push(
		[dryRun ? 'would be imported' : 'imported', count((r) => r.action === 'import')],
		...Object.entries(MATCH_WORDS).map(([match, words]) => [`  ${words}`, count((r) => r.match === match)]),
		['skipped', count((r) => r.action === 'skip')],
	);
	console.log(summary.toString());
	const skipped = result.rows.filter((r) => r.action === 'skip');
	if (skipped.length) {
		const table = new Table({ head: ['NextPanel id', 'username', 'why it was skipped'], colWidths: [14, 24, 70], wordWrap: true });
		for (const row of skipped.slice(0, 50)) table.push([row.remote_id, row.username, row.detail]);
		console.log(table.toString());
		if (skipped.length > 50) console.log(`... and ${skipped.length - 50} more (see --report)`);
	}
	for (const warning of result.warnings) console.log(`! ${warning}`);
}

export async function driftOf(directus: Directus, server: string): Promise<DriftRow[]> {
	return (await directus.nextpanel<{ data: DriftRow[] }>('GET', `/servers/${server}/drift`)).data;
}

export function printDrift(rows: DriftRow[]): void {
	if (rows.length === 0) {
		console.log('✔ Directus and NextPanel are in step.');
		return;
	}
	const table = new Table({
		head: ['difference', 'username', 'Directus', 'NextPanel', 'fixes'],
		colWidths: [18, 22, 12, 12, 40],
		wordWrap: true,
	});
	for (const row of rows)
		table.push([row.kind, row.username, row.directus_status ?? '—', row.nextpanel_status ?? '—', row.fixes.join(', ')]);
	console.log(table.toString());
	console.log(`✘ ${rows.length} difference${rows.length === 1 ? '' : 's'}.`);
}
