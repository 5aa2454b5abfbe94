// Every text of the connection test in one place, ready for translation. The status words are
// also what the server list and form show for "Last check status" (snapshots/schema.yaml repeats
// them for the list's badges; a unit test keeps the two the same).
import type { CheckName, ConnectionStatus } from '../../shared/api-types.ts';

/** What a person reads for each outcome, wherever a connection test result appears. */
export const CONNECTION_STATUS_LABELS: Record<ConnectionStatus, string> = {
	ok: 'Connected',
	unreachable: 'Unreachable',
	timeout: 'Timed out',
	auth_failed: 'Credentials rejected',
	ip_not_allowed: 'IP address not allowed',
	insufficient_permission: 'Permission too low',
	bad_response: 'Unexpected answer',
};

/** A stored check status as one the screens have words for, or null (never tested, or unknown). */
export function knownConnectionStatus(value: string | null | undefined): ConnectionStatus | null {
	return value && Object.hasOwn(CONNECTION_STATUS_LABELS, value) ? (value as ConnectionStatus) : null;
}

/** `v-chip` / `v-notice` kinds: red for "cannot work", amber for "fix a setting in NextPanel". */
export const CONNECTION_STATUS_KINDS: Record<ConnectionStatus, 'success' | 'warning' | 'danger'> = {
	ok: 'success',
	unreachable: 'danger',
	timeout: 'danger',
	auth_failed: 'danger',
	ip_not_allowed: 'warning',
	insufficient_permission: 'warning',
	bad_response: 'danger',
};

export const strings = {
	button: 'Test connection',
	fillIn: 'Enter the base URL, API key and API secret to test them before saving.',
	unsavedNote: 'Tests the values in this form; nothing is saved.',
	savedNote: 'Tests this server including any unsaved changes in the form; without changes, the result is also recorded on the server.',
	checks: {
		reachable: 'Reachable',
		credentials: 'Credentials',
		permission: 'Permission to provision',
		version: 'Version',
	} satisfies Record<CheckName, string>,
	/** What each check asks, in words: the permission check in particular is not obvious. */
	checkExplained: {
		reachable: 'Does NextPanel answer at this address?',
		credentials: 'Are the API key and secret accepted?',
		permission:
			'May this key create, suspend and delete accounts? Asked with an empty create request, which NextPanel turns down as incomplete when the key may create accounts; nothing is created.',
		version: 'Which NextPanel version answers.',
	} satisfies Record<CheckName, string>,
	skipped: 'Not checked: an earlier check failed.',
	passed: 'Passed',
	latency: (ms: number) => `${ms} ms`,
	version: (v: string) => `NextPanel ${v}`,
	failed: (reason: string) => `The test could not run: ${reason}`,
	fixBelow: 'What failed and how to fix it is shown at the check below.',
	// A changed address needs the secret typed again: the saved one only ever goes to the saved address.
	secretNeededTitle: 'Enter the API secret to test the new address',
	secretNeeded: (address: string) =>
		`You changed the base URL to ${address}. The saved API secret is only ever sent to the saved address, so it cannot be used to test another one. Enter the secret for the new address; it also goes into the API secret field, since saving the new address needs it too.`,
	secretPlaceholder: 'API secret (nps_...)',
	secretTest: 'Test with this secret',
	addressChangeNote:
		'Changing the address of a server that has hosting accounts is verified on save: the new address must hold the same accounts, and the API secret must be entered again.',
} as const;
