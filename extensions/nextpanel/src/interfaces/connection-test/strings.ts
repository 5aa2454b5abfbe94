// Every text of the connection test in one place, ready for translation.
import type { CheckName } from '../../shared/api-types.ts';

export const strings = {
	button: 'Test connection',
	fillIn: 'Enter the base URL, API key and API secret to test them before saving.',
	unsavedNote: 'Tests the values in this form; nothing is saved.',
	savedNote: 'Tests this server including any unsaved changes in the form; without changes, the result is also recorded on the server.',
	checks: { reachable: 'Reachable', credentials: 'Credentials', permission: 'Permission level', version: 'Version' } satisfies Record<
		CheckName,
		string
	>,
	skipped: 'Not checked: an earlier check failed.',
	latency: (ms: number) => `${ms} ms`,
	version: (v: string) => `NextPanel ${v}`,
	failed: (reason: string) => `The test could not run: ${reason}`,
} as const;
