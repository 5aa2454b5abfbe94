// A customer's hosting accounts, kept fresh while any of them is still being provisioned: the
// background provisioning changes the status on the server without anyone clicking. Two parts of
// one customer form show them (the hosting state beside "Provision hosting" and the hosting
// panel), so they share one list per customer: an action in the panel updates both, and only one
// of them polls.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import { HOSTING_ACCOUNT_FIELDS, IN_FLIGHT_STATUSES, type HostingAccount } from '../../shared/api-types.ts';
import { describeApiError } from '../../shared/describe-api-error.ts';

type Api = ReturnType<typeof useApi>;

interface CustomerAccounts {
	accounts: Ref<HostingAccount[]>;
	/** True only for loads a person started (or the first one); polls stay quiet. */
	loading: Ref<boolean>;
	/** False until the first answer: "no accounts" is not known before then. */
	loaded: Ref<boolean>;
	error: Ref<string | null>;
	users: number;
	timer: ReturnType<typeof setTimeout> | null;
	generation: number;
	pollInterval: number;
	api: Api;
	refresh: (options?: { quiet?: boolean }) => Promise<void>;
}

// Lives as long as some component of the open form shows this customer's accounts.
const byCustomer = new Map<string, CustomerAccounts>();

function share(customer: string, api: Api, pollInterval: number): CustomerAccounts {
	const existing = byCustomer.get(customer);
	if (existing) {
		existing.users++;
		existing.pollInterval = Math.min(existing.pollInterval, pollInterval);
		return existing;
	}
	const state: CustomerAccounts = {
		accounts: ref([]),
		loading: ref(false),
		loaded: ref(false),
		error: ref(null),
		users: 1,
		timer: null,
		generation: 0,
		pollInterval,
		api,
		refresh: async ({ quiet = false } = {}) => {
			if (state.timer) clearTimeout(state.timer);
			state.timer = null;
			// A slower, older answer must not overwrite a newer one.
			const mine = ++state.generation;
			if (!quiet) state.loading.value = true;
			try {
				const response = await state.api.get<{ data: HostingAccount[] }>('/items/hosting_accounts', {
					params: { filter: { customer: { _eq: customer } }, fields: HOSTING_ACCOUNT_FIELDS, sort: ['-date_created'], limit: -1 },
				});
				if (mine !== state.generation) return;
				state.accounts.value = response.data.data;
				state.error.value = null;
			} catch (caught) {
				if (mine === state.generation) state.error.value = describeApiError(caught);
			} finally {
				if (mine === state.generation) {
					state.loading.value = false;
					state.loaded.value = true;
					schedulePoll(state);
				}
			}
		},
	};
	byCustomer.set(customer, state);
	return state;
}

function schedulePoll(state: CustomerAccounts): void {
	if (state.users === 0) return;
	if (state.accounts.value.some((account) => IN_FLIGHT_STATUSES.includes(account.status))) {
		state.timer = setTimeout(() => void state.refresh({ quiet: true }), state.pollInterval);
	}
}

function release(customer: string, state: CustomerAccounts): void {
	state.users--;
	if (state.users > 0) return;
	if (state.timer) clearTimeout(state.timer);
	state.timer = null;
	// Answers still on their way are dropped.
	state.generation++;
	byCustomer.delete(customer);
}

export function useHostingAccounts(customer: Ref<string | null>, pollInterval: Ref<number>) {
	const api = useApi();
	const empty = { accounts: ref<HostingAccount[]>([]), loading: ref(false), loaded: ref(false), error: ref<string | null>(null) };
	const accounts = ref<HostingAccount[]>([]);
	const loading = ref(false);
	const loaded = ref(false);
	const error = ref<string | null>(null);
	let current: { id: string; state: CustomerAccounts } | null = null;
	let stopMirror: (() => void) | null = null;

	function attach(id: string | null): void {
		stopMirror?.();
		if (current) release(current.id, current.state);
		current = null;
		const state = id ? share(id, api, pollInterval.value) : null;
		if (id && state) current = { id, state };
		const source = state ?? empty;
		// Mirror the shared refs, so callers keep plain refs whatever customer is shown.
		stopMirror = watch(
			[source.accounts, source.loading, source.loaded, source.error],
			([list, busy, done, failure]) => {
				accounts.value = list;
				loading.value = busy;
				loaded.value = done;
				error.value = failure;
			},
			{ immediate: true },
		);
		if (state && state.users === 1) void state.refresh();
	}

	async function refresh({ quiet = false } = {}): Promise<void> {
		if (current) await current.state.refresh({ quiet });
	}

	watch(customer, (id) => attach(id), { immediate: true });
	onBeforeUnmount(() => {
		stopMirror?.();
		if (current) release(current.id, current.state);
		current = null;
	});

	return { accounts, loading, loaded, error, refresh };
}
