// One page of the call log at a time, newest first, narrowed by server and outcome. The same
// filter feeds the link to the nextpanel_logs collection, so "open in NextPanel calls" shows
// exactly the calls this list shows.
import { computed, ref, watch } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import type { CallAction } from '../shared/api-types.ts';
import { describeApiError } from '../shared/describe-api-error.ts';

export const CALLS_PER_PAGE = 12;

export interface CallRow {
	id: number | string;
	date_created: string;
	action: CallAction | (string & {});
	server: { id: string; name: string } | null;
	hosting_account: { id: string; username: string } | null;
	outcome: 'ok' | 'error';
}

export interface CallFilter {
	server: string | null;
	errorsOnly: boolean;
}

/** The filter in Directus's own syntax, as the items API and a bookmark both take it. */
export function callQueryFilter(filter: CallFilter): Record<string, unknown> | null {
	const parts: Record<string, unknown>[] = [];
	if (filter.server) parts.push({ server: { _eq: filter.server } });
	if (filter.errorsOnly) parts.push({ outcome: { _eq: 'error' } });
	return parts.length ? { _and: parts } : null;
}

export const CALL_ROW_FIELDS = [
	'id',
	'date_created',
	'action',
	'server.id',
	'server.name',
	'hosting_account.id',
	'hosting_account.username',
	'outcome',
];

export function useCalls() {
	const api = useApi();
	const rows = ref<CallRow[]>([]);
	const total = ref(0);
	const page = ref(1);
	/** The page `rows` are from; `page` changes at a click, this once they have arrived. */
	const loadedPage = ref(1);
	const filter = ref<CallFilter>({ server: null, errorsOnly: false });
	const loading = ref(false);
	const error = ref<string | null>(null);
	const pages = computed(() => Math.max(1, Math.ceil(total.value / CALLS_PER_PAGE)));

	// A reload started while another is under way wins; the older answer is dropped.
	let latest = 0;

	async function load(): Promise<void> {
		const request = ++latest;
		const requestedPage = page.value;
		loading.value = true;
		try {
			const query = callQueryFilter(filter.value);
			const response = await api.get<{ data: CallRow[]; meta: { filter_count: number } }>('/items/nextpanel_logs', {
				params: {
					fields: CALL_ROW_FIELDS,
					sort: ['-date_created', '-id'],
					limit: CALLS_PER_PAGE,
					page: requestedPage,
					meta: 'filter_count',
					...(query ? { filter: query } : {}),
				},
			});
			if (request !== latest) return;
			rows.value = response.data.data;
			loadedPage.value = requestedPage;
			total.value = Number(response.data.meta.filter_count);
			error.value = null;
			// Calls were pruned or the filter narrowed: land on the last page that exists.
			if (page.value > pages.value) page.value = pages.value;
		} catch (caught) {
			if (request !== latest) return;
			rows.value = [];
			total.value = 0;
			error.value = describeApiError(caught);
		} finally {
			if (request === latest) loading.value = false;
		}
	}

	watch(page, load);
	watch(
		filter,
		() => {
			if (page.value === 1) void load();
			else page.value = 1;
		},
		{ deep: true },
	);

	return { rows, total, page, loadedPage, pages, filter, loading, error, load };
}
