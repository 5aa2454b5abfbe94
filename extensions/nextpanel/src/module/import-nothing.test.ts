import { describe, expect, test } from 'vitest';
import type { ImportReport, ImportRow } from '../shared/api-types.ts';
import { nothingToImport } from './import-nothing.ts';

const row = (reason: ImportRow['reason'], id: number): ImportRow => ({
	remote_id: id,
	username: `user${id}`,
	email: null,
	nextpanel_status: 'active',
	action: 'skip',
	match: null,
	customer: null,
	reason,
	detail: '',
});
const report = (rows: ImportRow[], linked = 0): ImportReport => ({
	dry_run: true,
	remote_total: rows.length + linked,
	already_linked: linked,
	counts: { import: 0, skip: rows.length, new_customers: 0, by_billing_id: 0, by_email: 0 },
	rows,
	warnings: [],
});

describe('why a preview has nothing to import', () => {
	test('every account linked already', () => {
		expect(nothingToImport(report([], 5), { createCustomers: false })).toEqual({ kind: 'all_linked' });
	});

	test('accounts without a customer: counted, and the create-customers option suggested until it is ticked', () => {
		const rows = [row('no_customer', 1), row('no_customer', 2), row('username_taken', 3)];
		expect(nothingToImport(report(rows), { createCustomers: false })).toEqual({
			kind: 'skipped',
			total: 3,
			reasons: [
				{ reason: 'no_customer', count: 2 },
				{ reason: 'username_taken', count: 1 },
			],
			suggestCreateCustomers: true,
		});
		expect(nothingToImport(report(rows), { createCustomers: true })).toMatchObject({ suggestCreateCustomers: false });
	});

	test('skips that creating customers would not change suggest nothing', () => {
		expect(nothingToImport(report([row('ambiguous_email', 1)]), { createCustomers: false })).toMatchObject({
			kind: 'skipped',
			suggestCreateCustomers: false,
		});
	});
});
