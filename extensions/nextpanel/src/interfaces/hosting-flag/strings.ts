// Every text of the "provision on save" field in one place, ready for translation.
import type { AccountStatus } from '../../shared/api-types.ts';

export const strings = {
	defaultLabel: 'Provision a NextPanel hosting account on save',
	optionLabel: 'Checkbox label',
	newNote: 'The account is created when you save, with the server, username and password below.',
	newNoteOff: 'Tick to create the customer\u2019s hosting account in the same save.',
	existingNote:
		'This customer has no hosting account. Saving with this ticked provisions one with the saved hosting choices; "Provision" in the hosting panel lets you choose them now.',
	loading: 'Loading the hosting state\u2026',
	loadFailed: (reason: string) => `The hosting state could not be loaded: ${reason}`,
	headline: {
		active: 'Hosting is active',
		suspended: 'Hosting is suspended',
		provisioning: 'Hosting is being provisioned',
		pending: 'Hosting waits for provisioning',
		failed: 'Hosting provisioning failed',
	} satisfies Record<Exclude<AccountStatus, 'terminated'>, string>,
	accounts: (count: number) => `${count} hosting account${count === 1 ? '' : 's'}`,
	noReprovision: 'Saving this customer does not provision again.',
	retryHint: 'Retry sends the create again; the account card shows the last error.',
	retry: (username: string) => `Retry ${username}`,
	retried: (username: string) => `Provisioning of ${username} retried`,
	retryFailed: (username: string, reason: string) => `Retrying ${username} failed: ${reason}`,
} as const;
