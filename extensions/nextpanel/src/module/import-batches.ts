// How the import wizard splits an import into requests: the endpoint imports what `only` names,
// so the app sends the importable ids in batches and can show progress between them.
import type { ImportRow } from '../shared/api-types.ts';

/** Ids per request: small enough for a progress bar to move, large enough not to re-read NextPanel too often. */
export const IMPORT_BATCH_SIZE = 200;

/**
 * The remote ids of the rows to import, in batches of at most `size`. Accounts that share an
 * e-mail stay in one batch where they fit, so a new customer is created once for all of them
 * rather than created by one batch and found by e-mail in the next.
 */
export function importBatches(rows: readonly ImportRow[], size = IMPORT_BATCH_SIZE): number[][] {
	const groups = new Map<string, number[]>();
	for (const row of rows) {
		if (row.action !== 'import') continue;
		const key = row.email?.toLowerCase() ?? `#${row.remote_id}`;
		groups.set(key, [...(groups.get(key) ?? []), row.remote_id]);
	}
	const batches: number[][] = [];
	let batch: number[] = [];
	for (const ids of groups.values()) {
		if (batch.length && batch.length + ids.length > size) {
			batches.push(batch);
			batch = [];
		}
		for (const id of ids) {
			batch.push(id);
			if (batch.length === size) {
				batches.push(batch);
				batch = [];
			}
		}
	}
	if (batch.length) batches.push(batch);
	return batches;
}
