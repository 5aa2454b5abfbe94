// Opening a collection filtered from a panel. The content module reads no filter from its URL,
// only a bookmark, so a click points one personal bookmark per collection at the filter and
// opens it (as the module's "open in NextPanel calls" does). The link's href stays the plain
// collection, for a middle click or a new tab.
import { useStores } from '@directus/extensions-sdk';
import { getCurrentInstance, ref } from 'vue';
import { describeApiError } from '../../shared/describe-api-error.ts';

type Filter = Record<string, unknown>;

/** The part of the app's presets store a link uses; going through it keeps the app's bookmarks in step. */
interface PresetsStore {
	collectionPresets: { id: number; user: string | null; collection: string; bookmark: string | null }[];
	create(preset: Record<string, unknown>): Promise<{ id: number }>;
	update(id: number, preset: Record<string, unknown>): Promise<{ id: number }>;
}

interface Router {
	push(to: string): Promise<unknown>;
	resolve(to: string): { href: string };
}

export function collectionPath(collection: string, bookmark?: number): string {
	return `/content/${collection}${bookmark === undefined ? '' : `?bookmark=${bookmark}`}`;
}

/** A click the browser should handle itself: a new tab or window, a download. */
export function isOwnClick(event: MouseEvent): boolean {
	return event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}

export function useCollectionLink(collection: string, bookmarkName: string, failed: (reason: string) => string) {
	const { usePresetsStore, useUserStore, useNotificationsStore } = useStores();
	// vue-router is shared with the app at run time, but its types are not installed in this repository.
	const router = (getCurrentInstance()?.proxy as { $router?: Router } | null | undefined)?.$router;
	const opening = ref(false);
	const href = router?.resolve(collectionPath(collection)).href ?? `/admin${collectionPath(collection)}`;

	async function open(filter: Filter | null, event: MouseEvent): Promise<void> {
		if (isOwnClick(event) || !router) return;
		event.preventDefault();
		if (opening.value) return;
		opening.value = true;
		try {
			const presets = usePresetsStore() as unknown as PresetsStore;
			const user = (useUserStore().currentUser as { id?: string } | null)?.id ?? null;
			const preset = { bookmark: bookmarkName, collection, user, icon: 'insights', filter, search: null };
			const existing = presets.collectionPresets.find(
				(candidate) => candidate.user === user && candidate.collection === collection && candidate.bookmark === bookmarkName,
			);
			const saved = existing ? await presets.update(existing.id, preset) : await presets.create(preset);
			await router.push(collectionPath(collection, saved.id));
		} catch (error) {
			useNotificationsStore().add({ title: failed(describeApiError(error)), type: 'warning' });
			await router.push(collectionPath(collection));
		} finally {
			opening.value = false;
		}
	}

	return { href, open, opening };
}
