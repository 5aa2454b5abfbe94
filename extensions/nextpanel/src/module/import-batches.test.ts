import { describe, expect, test } from 'vitest';
import type { ImportRow } from '../shared/api-types.ts';
import { importBatches } from './import-batches.ts';

const row = (remote_id: number, email: string | null, action: ImportRow['action'] = 'import'): ImportRow => ({
	remote_id,
	username: `user${remote_id}`,
	email,
	nextpanel_status: 'active',
	action,
	match: action === 'import' ? 'email' : null,
	customer: null,
	reason: action === 'skip' ? 'no_customer' : null,
	detail: '',
});

describe('importBatches', () => {
	test('sends every importable id once, in batches of at most the size, and no skipped one', () => {
		const rows = Array.from({ length: 450 }, (_, i) => row(i + 1, `u${i + 1}@example.com`, i % 10 === 0 ? 'skip' : 'import'));
		const batches = importBatches(rows, 200);
		expect(batches.map((b) => b.length)).toEqual([200, 200, 5]);
		expect(batches.flat().sort((a, b) => a - b)).toEqual(rows.filter((r) => r.action === 'import').map((r) => r.remote_id));
	});

	test('keeps accounts that share an e-mail (in any case) in one batch when they fit', () => {
		const rows = [row(1, 'a@example.com'), row(2, 'b@example.com'), row(3, 'c@example.com'), row(4, 'B@example.com')];
		expect(importBatches(rows, 3)).toEqual([[1, 2, 4], [3]]);
	});

	test('splits a group larger than a batch, and treats accounts without an e-mail one by one', () => {
		const rows = [row(1, 'same@example.com'), row(2, 'same@example.com'), row(3, 'same@example.com'), row(4, null), row(5, null)];
		expect(importBatches(rows, 2)).toEqual([[1, 2], [3, 4], [5]]);
	});

	test('nothing to import is no batch at all', () => {
		expect(importBatches([row(1, 'x@example.com', 'skip')])).toEqual([]);
	});
});
