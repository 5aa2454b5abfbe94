// The outcome of a provisioning, as a toast to the person who started it, wherever in the app
// they are when it arrives. Saving a customer with "Provision hosting" takes the app back to the
// list while NextPanel is still creating the account, so the form that could show the outcome is
// gone: a watch that outlives the form (module state, not component state) follows the accounts
// this person just created until each settles, then says how it went. The hosting panel reports
// what its own polling sees to the same place, and each account's outcome is told once.
import type { useApi } from '@directus/extensions-sdk';
import { IN_FLIGHT_STATUSES, type HostingAccount } from '../../shared/api-types.ts';

type Api = ReturnType<typeof useApi>;
export type OutcomeAccount = Pick<HostingAccount, 'id' | 'username' | 'status' | 'last_error'>;

export interface OutcomeToast {
	title: string;
	text?: string;
	type: 'success' | 'error' | 'warning';
	icon: string;
}

export interface OutcomeTexts {
	active: (username: string) => string;
	failed: (username: string) => string;
	waiting: (username: string) => string;
}

const inFlight = (status: string) => (IN_FLIGHT_STATUSES as readonly string[]).includes(status);

/** The toast for an account that has left provisioning, or null while it is still in flight. */
export function outcomeToast(account: OutcomeAccount, texts: OutcomeTexts): OutcomeToast | null {
	if (account.status === 'active') return { title: texts.active(account.username), type: 'success', icon: 'check_circle' };
	if (account.status === 'failed')
		return {
			title: texts.failed(account.username),
			...(account.last_error ? { text: account.last_error } : {}),
			type: 'error',
			icon: 'error',
		};
	// Pending with a reason: NextPanel did not answer, and a retry is scheduled.
	if (account.status === 'pending' && account.last_error)
		return { title: texts.waiting(account.username), text: account.last_error, type: 'warning', icon: 'schedule' };
	return null;
}

const told = new Map<string, string>();

/** Tells an account's outcome once per outcome; true when this call told it. */
export function tellOutcome(account: OutcomeAccount, texts: OutcomeTexts, show: (toast: OutcomeToast) => void): boolean {
	const toast = outcomeToast(account, texts);
	if (!toast || told.get(account.id) === account.status) return false;
	told.set(account.id, account.status);
	show(toast);
	return true;
}

/** Accounts created this long before the save are the save's (the hook creates them in the request). */
const CREATED_WITHIN_MS = 60_000;
const POLL_MS = 2_000;
const GIVE_UP_MS = 10 * 60_000;
let watching: ReturnType<typeof setTimeout> | null = null;

/**
 * Follows the hosting accounts the current user created in the last minute until none is in
 * flight (or ten minutes pass), telling each outcome as it arrives. Starting it again while it
 * runs changes nothing; it costs one request when there is nothing to follow.
 */
export function followMyProvisioning(api: Api, texts: OutcomeTexts, show: (toast: OutcomeToast) => void): void {
	if (watching) return;
	const since = new Date(Date.now() - CREATED_WITHIN_MS).toISOString();
	const until = Date.now() + GIVE_UP_MS;
	const tick = async () => {
		let accounts: OutcomeAccount[] = [];
		try {
			const response = await api.get<{ data: OutcomeAccount[] }>('/items/hosting_accounts', {
				params: {
					filter: { _and: [{ user_created: { _eq: '$CURRENT_USER' } }, { date_created: { _gte: since } }] },
					fields: ['id', 'username', 'status', 'last_error'],
					sort: ['date_created'],
					limit: 20,
				},
			});
			accounts = response.data.data;
		} catch {
			// No read access, or offline: the notification bell still has the outcome.
		}
		for (const account of accounts) tellOutcome(account, texts, show);
		const pending = accounts.some((account) => inFlight(account.status) && !(account.status === 'pending' && account.last_error));
		watching = pending && Date.now() < until ? setTimeout(() => void tick(), POLL_MS) : null;
	};
	watching = setTimeout(() => void tick(), 0);
}
