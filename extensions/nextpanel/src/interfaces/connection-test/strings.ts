export const strings = {
	button: 'Test connection',
	testing: 'Testing…',
	fillIn: 'Enter the base URL, API key and API secret to test them before saving.',
	unsavedNote: 'Testing the values in this form (not saved yet).',
	savedNote: 'Testing the saved server; the result is recorded on it.',
	checks: { reachable: 'Reachable', credentials: 'Credentials', permission: 'Permission level', version: 'Version' },
	skipped: 'not checked',
	latency: (ms: number) => `${ms} ms`,
	version: (v: string) => `NextPanel ${v}`,
} as const;
