// The figures of one insight route for a panel, loaded again whenever the panel's options or the
// dashboard's refresh time change. The newest request wins: an older answer that arrives late is
// dropped, so a quick change of options never shows the figures of the one before.
import { useApi } from '@directus/extensions-sdk';
import { ref, shallowRef, watch, type Ref } from 'vue';
import type { z } from 'zod';
import { requestInsight, type InsightClient, type InsightParams, type InsightRoute } from './insight-request.ts';

export interface Insight<T> {
	data: Ref<T | null>;
	loading: Ref<boolean>;
	/** Why the last load failed, for a person; null when it did not. */
	error: Ref<string | null>;
	/** The caller may not read what the route counts (403). */
	forbidden: Ref<boolean>;
	reload: () => Promise<void>;
}

export function useInsight<T extends z.ZodType>(
	route: InsightRoute,
	schema: T,
	params: () => InsightParams,
	/** Anything that, when it changes, means "load again": the dashboard's `now`. */
	refresh: () => unknown = () => null,
): Insight<z.infer<T>> {
	const api = useApi() as unknown as InsightClient;
	// Figures are replaced whole, never edited: a shallow ref is enough.
	const data = shallowRef(null) as Ref<z.infer<T> | null>;
	const loading = ref(false);
	const error = ref<string | null>(null);
	const forbidden = ref(false);
	let latest = 0;

	async function reload(): Promise<void> {
		const request = ++latest;
		loading.value = true;
		const result = await requestInsight(api, route, params(), schema);
		if (request !== latest) return;
		loading.value = false;
		forbidden.value = result.state === 'forbidden';
		error.value = result.state === 'failed' ? result.reason : null;
		data.value = result.state === 'ready' ? result.data : null;
	}

	// A new `now` often changes the range too: both watchers fire in one tick, one request goes out.
	let queued = false;
	function schedule(): void {
		if (queued) return;
		queued = true;
		queueMicrotask(() => {
			queued = false;
			void reload();
		});
	}

	watch(() => JSON.stringify(params()), schedule, { immediate: true });
	watch(() => {
		const value = refresh();
		return value instanceof Date ? value.getTime() : value;
	}, schedule);
	return { data, loading, error, forbidden, reload };
}
