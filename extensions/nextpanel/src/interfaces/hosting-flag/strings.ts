// Every text of the "provision on save" field in one place, ready for translation.
import type { AccountStatus } from '../../shared/api-types.ts';

export const strings = {
	defaultLabel: 'Provision a NextPanel hosting account on save',
	optionLabel: 'Checkbox label',
	newNote: 'The account is created when you save, with the server, username and password below.',
	newNoteOff: 'Tick to create the customer\u2019s hosting account in the same save.',
	existingNote:
		'This customer has no live hosting account. Saving with this ticked provisions one with the saved hosting choices; "Provision" in the hosting panel lets you choose them now.',
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
	// What happens next, pointing at the hosting panel where the account's actions are.
	next: {
		active: null,
		suspended: 'Unsuspend it in the hosting accounts below.',
		provisioning: 'This updates by itself when NextPanel answers.',
		pending: 'It is retried automatically; retry or cancel it now in the hosting accounts below.',
		failed: 'Retry or cancel it in the hosting accounts below.',
	} satisfies Record<Exclude<AccountStatus, 'terminated'>, string | null>,
} as const;
