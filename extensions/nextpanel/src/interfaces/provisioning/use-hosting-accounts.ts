// A customer's hosting accounts, kept fresh while any of them is still being provisioned: the
// background provisioning changes the status on the server without anyone clicking.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import { HOSTING_ACCOUNT_FIELDS, IN_FLIGHT_STATUSES, type HostingAccount } from '../../shared/api-types.ts';
import { describeApiError } from '../../shared/describe-api-error.ts';

export function useHostingAccounts(customer: Ref<string | null>, pollInterval: Ref<number>) {
	const api = useApi();
	const accounts = ref<HostingAccount[]>([]);
	/** True only for loads a person started (or the first one); polls stay quiet. */
	const loading = ref(false);
	const error = ref<string | null>(null);
	let timer: ReturnType<typeof setTimeout> | null = null;
	let generation = 0;
	let disposed = false;

	function stopPolling(): void {
		if (timer) clearTimeout(timer);
		timer = null;
	}

	/** Never rejects: a failure is shown in `error` and polling carries on. */
	async function refresh({ quiet = false } = {}): Promise<void> {
		stopPolling();
		const id = customer.value;
		if (!id || disposed) {
			accounts.value = [];
			return;
		}
		// A slower, older answer must not overwrite a newer one.
		const mine = ++generation;
		if (!quiet) loading.value = true;
		try {
			const response = await api.get<{ data: HostingAccount[] }>('/items/hosting_accounts', {
				params: { filter: { customer: { _eq: id } }, fields: HOSTING_ACCOUNT_FIELDS, sort: ['-date_created'], limit: -1 },
			});
			if (mine !== generation) return;
			accounts.value = response.data.data;
			error.value = null;
		} catch (caught) {
			if (mine === generation) error.value = describeApiError(caught);
		} finally {
			if (mine === generation) {
				loading.value = false;
				schedulePoll();
			}
		}
	}

	function schedulePoll(): void {
		if (disposed) return;
		if (accounts.value.some((account) => IN_FLIGHT_STATUSES.includes(account.status))) {
			timer = setTimeout(() => void refresh({ quiet: true }), pollInterval.value);
		}
	}

	watch(customer, () => void refresh(), { immediate: true });
	onBeforeUnmount(() => {
		disposed = true;
		stopPolling();
	});

	return { accounts, loading, error, refresh };
}
