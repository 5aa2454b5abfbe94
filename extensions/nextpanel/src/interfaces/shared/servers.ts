// The servers a person can provision on, as every picker shows them (the customer form and the
// provision drawer): the name with its free slots, full and disabled servers visible but not
// selectable, and the packages of the chosen server.
import { ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import type { ServerCapacity } from '../../shared/api-types.ts';
import { describeApiError } from '../../shared/describe-api-error.ts';
import { describePackage, type ServerPackage } from '../../shared/packages.ts';
import { appLocale } from './format.ts';

export const serverStrings = {
	automatic: 'Automatic: most free slots',
	free: (free: number) => `${new Intl.NumberFormat(appLocale()).format(free)} free`,
	full: 'full',
	disabled: 'disabled',
	capacityFailed: (reason: string) => `The servers' free slots could not be loaded (${reason}); automatic server choice still works.`,
	packageAny: 'Any package id',
	packageDefault: 'The server\u2019s default package',
	packageNumberHint: 'No package list for this server: enter a NextPanel package id, or leave empty for its default.',
	packageAutomaticHint: 'The server is chosen on save: enter a NextPanel package id, or leave empty for its default.',
	packageListHint: (server: string) => `The packages listed on ${server}.`,
	packageGone: (id: number) => `Package ${id} (not offered by this server)`,
} as const;

export interface PickerItem<T> {
	text: string;
	value: T;
	disabled: boolean;
}

/** "EU-1 · 12 free" (the short form fits a half-width field); a full or disabled server says so and cannot be chosen. */
export function serverItem(server: ServerCapacity): PickerItem<string> {
	const state =
		server.status !== 'active' ? serverStrings.disabled : server.full ? serverStrings.full : serverStrings.free(server.free_slots);
	return { text: `${server.name} · ${state}`, value: server.id, disabled: server.status !== 'active' || server.full };
}

export function serverItems(servers: ServerCapacity[]): PickerItem<string | null>[] {
	return [{ text: serverStrings.automatic, value: null, disabled: false }, ...servers.map(serverItem)];
}

/**
 * The package choices of one server: its list with a "default" entry, plus the current value when
 * the list no longer offers it (so a saved value is shown, and the API's refusal explains it).
 */
export function packageItems(packages: ServerPackage[], current: number | null): PickerItem<number | null>[] {
	const items: PickerItem<number | null>[] = [
		{ text: serverStrings.packageDefault, value: null, disabled: false },
		...packages.map((pkg) => ({ text: `${pkg.id} · ${describePackage(pkg)}`, value: pkg.id, disabled: false })),
	];
	if (current !== null && !packages.some((pkg) => pkg.id === current))
		items.push({ text: serverStrings.packageGone(current), value: current, disabled: true });
	return items;
}

/** `GET /nextpanel/servers/capacity`, loaded on demand; a failure is kept for the picker to show. */
export function useServerCapacity() {
	const api = useApi();
	const servers = ref<ServerCapacity[]>([]);
	const loading = ref(false);
	const error = ref<string | null>(null);

	async function load(): Promise<void> {
		loading.value = true;
		try {
			const response = await api.get<{ data: ServerCapacity[] }>('/nextpanel/servers/capacity');
			servers.value = response.data.data;
			error.value = null;
		} catch (caught) {
			error.value = describeApiError(caught);
		} finally {
			loading.value = false;
		}
	}

	return { servers, loading, error, load };
}
