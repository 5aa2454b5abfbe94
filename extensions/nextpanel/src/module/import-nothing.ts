// When a preview finds nothing to import, the wizard says why instead of leaving a disabled
// path: everything is in Directus already, or the accounts were skipped, and for the commonest
// skip (no customer to link to) the one option that changes it.
import type { ImportReport, ImportSkipReason } from '../shared/api-types.ts';

export type NothingToImport =
	| { kind: 'all_linked' }
	| { kind: 'skipped'; total: number; reasons: { reason: ImportSkipReason; count: number }[]; suggestCreateCustomers: boolean };

export function nothingToImport(report: ImportReport, { createCustomers }: { createCustomers: boolean }): NothingToImport {
	const counts = new Map<ImportSkipReason, number>();
	for (const row of report.rows) {
		if (row.action === 'skip' && row.reason) counts.set(row.reason, (counts.get(row.reason) ?? 0) + 1);
	}
	if (counts.size === 0) return { kind: 'all_linked' };
	const reasons = [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
	return {
		kind: 'skipped',
		total: reasons.reduce((sum, entry) => sum + entry.count, 0),
		reasons,
		suggestCreateCustomers: !createCustomers && counts.has('no_customer'),
	};
}
