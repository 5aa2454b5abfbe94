import { describe, expect, test } from 'vitest';
import { isCollectionLimit, noRoomProblem, withoutCollection } from './collection-room.ts';

describe('room for collections', () => {
	test('only the collection limit counts as no room: another limit or another error does not', () => {
		expect(isCollectionLimit({ code: 'LIMIT_EXCEEDED', extensions: { category: 'collections' } })).toBe(true);
		expect(isCollectionLimit({ code: 'LIMIT_EXCEEDED', extensions: { category: 'flows' } })).toBe(false);
		expect(isCollectionLimit({ code: 'INVALID_PAYLOAD', extensions: { category: 'collections' } })).toBe(false);
		expect(isCollectionLimit(new Error('LIMIT_EXCEEDED'))).toBe(false);
		expect(isCollectionLimit(null)).toBe(false);
	});

	test('leaving a collection out drops its fields and relations, and nothing of the others', () => {
		const entry = (collection: string, field?: string) => ({ collection, ...(field ? { field } : {}), diff: [{ kind: 'N' }] });
		const diff = {
			collections: [entry('nextpanel_settings'), entry('hosting_accounts')],
			fields: [entry('nextpanel_settings', 'id'), entry('hosting_accounts', 'paid_until'), entry('customers', 'hosting_accounts')],
			relations: [entry('nextpanel_settings', 'user_updated'), entry('hosting_accounts', 'server')],
		};
		const reduced = withoutCollection(diff, 'nextpanel_settings');
		expect(reduced.collections.map((c) => c.collection)).toEqual(['hosting_accounts']);
		expect(reduced.fields.map((f) => `${f.collection}.${f.field}`)).toEqual(['hosting_accounts.paid_until', 'customers.hosting_accounts']);
		expect(reduced.relations.map((r) => r.collection)).toEqual(['hosting_accounts']);
		expect(diff.collections).toHaveLength(2);
	});

	test('the refusal names the collections, the count and the limit', () => {
		const message = noRoomProblem({
			active: Array.from({ length: 23 }, (_, i) => `c${i}`),
			needed: ['hosting_accounts', 'nextpanel_logs', 'nextpanel_servers'],
		});
		expect(message).toMatch(
			/3 more collection\(s\) \(hosting_accounts, nextpanel_logs, nextpanel_servers\): this project has 23 active collections.*allows 25/,
		);
	});
});
