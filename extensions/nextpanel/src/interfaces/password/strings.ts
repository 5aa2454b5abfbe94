// Every text of the password generator in one place, ready for translation.
export const strings = {
	placeholder: 'Leave empty to generate one on save',
	generate: 'Generate',
	regenerate: 'Generate another',
	show: 'Show password',
	hide: 'Hide password',
	copy: 'Copy to clipboard',
	copied: 'Password copied',
	copyFailed: 'Copying failed; select the password and copy it by hand',
	length: 'Length',
	excludeLookAlikes: 'Leave out look-alike characters (I l 1 O 0 o)',
	confirm: 'I have saved this password somewhere safe',
	mustConfirm: 'Save the password (copy it to a password manager) and tick the box above; it is shown only now.',
	emptyHint: 'Empty: a strong password is generated on the server and sent with the welcome mail.',
	strength: { very_weak: 'Very weak', weak: 'Weak', fair: 'Fair', strong: 'Strong', very_strong: 'Very strong' },
	bits: (bits: number) => `about ${Math.round(bits)} bits`,
} as const;
