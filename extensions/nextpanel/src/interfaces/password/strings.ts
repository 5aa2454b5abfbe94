// Every text of the password generator in one place, ready for translation.
export const strings = {
	placeholder: 'Empty: generated on save',
	generate: 'Generate',
	show: 'Show password',
	hide: 'Hide password',
	copy: 'Copy to clipboard',
	copied: 'Password copied to the clipboard',
	copyFailed: 'Copying failed; select the password and copy it by hand',
	length: (length: number) => `Length ${length}`,
	excludeLookAlikes: 'Leave out look-alike characters (I l 1 O 0 o |)',
	confirm: 'I have saved this password',
	mustConfirm:
		'Copy the password to a password manager and tick "I have saved this password". It is never stored here and cannot be shown again.',
	notConfirmedError:
		'Tick "I have saved this password" first: it is never stored and cannot be shown again. Or clear it to let the server generate one.',
	emptyHint: 'Optional. Empty: a strong password is generated on the server and sent to the customer with the welcome mail.',
	confirmedHint: 'Sent to NextPanel once, with the save. Directus never stores it.',
	tooWeak: (problems: string[]) => `NextPanel provisioning will refuse this password: ${problems.join('; ')}.`,
	strength: { very_weak: 'Very weak', weak: 'Weak', fair: 'Fair', strong: 'Strong', very_strong: 'Very strong' },
	bits: (bits: number) => `about ${Math.round(bits)} bits`,
	optionLength: 'Length of generated passwords',
	optionLengthNote: '12-64 characters',
	optionExcludeLookAlikes: 'Leave out look-alike characters by default',
} as const;
