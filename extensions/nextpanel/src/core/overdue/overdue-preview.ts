// `GET /nextpanel/overdue`: what the next overdue run would do and hold back, from the same plan
// the run carries out, without calling NextPanel. It lists hosting accounts, so it needs read
// permission on them.
import type { OverduePreview } from '../../shared/wire/overdue.ts';
import { requireCollectionAccess, type AccessContext } from '../access.ts';
import { planOverdue } from './overdue-plan.ts';
import { readOverduePolicy } from './overdue-policy-source.ts';
import { localDay } from './term-dates.ts';

export async function previewOverdue(context: AccessContext): Promise<OverduePreview> {
	await requireCollectionAccess(context, 'hosting_accounts', 'read', 'see which hosting accounts are overdue');
	const { policy, source } = await readOverduePolicy(context.knex, context.schema, context.runtime.config);
	const today = localDay();
	const plan = await planOverdue(context.knex, policy, today);
	return { today, policy: { ...policy, source }, ...plan };
}
