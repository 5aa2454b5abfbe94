// Whether the plugin can work in this project, and where its customers live. Asked before anything
// else: when it cannot work, every other route answers 503, and the page should say what to set
// instead of showing empty sections. One answer for the whole module (navigation, overview,
// server pages), so the host's own customer collection is named the same everywhere.
import { computed, ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import { DEFAULT_CUSTOMER_NAMES, type SetupStatus } from '../shared/api-types.ts';
import { describeApiError } from '../shared/describe-api-error.ts';

const status = ref<SetupStatus | null>(null);
const error = ref<string | null>(null);

export function useSetupStatus() {
	const api = useApi();

	async function check(): Promise<boolean> {
		try {
			status.value = (await api.get<{ data: SetupStatus }>('/nextpanel/status')).data.data;
			error.value = null;
		} catch (caught) {
			status.value = null;
			error.value = describeApiError(caught);
		}
		return status.value?.ready === true;
	}

	const customers = computed(() => status.value?.customers ?? DEFAULT_CUSTOMER_NAMES);
	return { status, error, check, customers };
}
