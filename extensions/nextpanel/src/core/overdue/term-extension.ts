// Extending terms (the "Extend hosting term" Flow operation): paid_until is written through
// Directus's item service as the caller, so their permissions decide, the item events fire (a Flow
// on hosting accounts sees it), and a paid overdue suspension is lifted as with any other payment.
import { extendedUntil, type TermExtension } from '../../shared/term-extension.ts';
import type { AccessContext } from '../access.ts';
import { dayOf, localDay } from './term-dates.ts';

export async function extendTerms(
	context: AccessContext,
	{ ids, extension }: { ids: readonly string[]; extension: TermExtension },
): Promise<{ id: string; paid_until: string }[]> {
	const items = new context.runtime.services.ItemsService('hosting_accounts', {
		schema: context.schema,
		accountability: context.accountability,
		knex: context.knex,
	});
	const today = localDay();
	const results: { id: string; paid_until: string }[] = [];
	for (const id of ids) {
		const current = (await items.readOne(id, { fields: ['paid_until'] })) as { paid_until: unknown };
		const paidUntil = extendedUntil(dayOf(current.paid_until), today, extension);
		await items.updateOne(id, { paid_until: paidUntil });
		results.push({ id, paid_until: paidUntil });
	}
	return results;
}
