// Whether the plugin can work in this project. Asked before anything else: when it cannot, every
// other route answers 503, and the page should say what to set instead of showing empty sections.
import { ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import type { SetupStatus } from '../shared/api-types.ts';
import { describeApiError } from '../shared/describe-api-error.ts';

export function useSetupStatus() {
	const api = useApi();
	const status = ref<SetupStatus | null>(null);
	const error = ref<string | null>(null);

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

	return { status, error, check };
}
