// Who may see an insight: the figures are counts over whole collections, so the caller needs
// read permission on each collection they are counted from. Directus 12 without a licence has no
// item filters in permissions, so a collection-level rule is the whole rule; a caller without it
// gets 403 and no figure at all.
import type { AccessContext } from '../access.ts';
import { requireCollectionAccess } from '../access.ts';

export type InsightCollection = 'hosting_accounts' | 'nextpanel_servers' | 'nextpanel_logs';

export async function requireInsightAccess(
	context: AccessContext,
	collections: readonly InsightCollection[],
	insight: string,
): Promise<void> {
	for (const collection of collections) {
		await requireCollectionAccess(context, collection, 'read', `see the ${insight} insight`);
	}
}
