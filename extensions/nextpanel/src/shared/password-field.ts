// What the password field sends with a form. A password nobody has confirmed saving is sent as
// a marker the server refuses with a clear message, so the save cannot silently go through.
export const UNCONFIRMED_PASSWORD = { unconfirmed: true } as const;

export type PasswordFieldValue = string | typeof UNCONFIRMED_PASSWORD | null;

export function passwordFieldValue(password: string, confirmed: boolean): PasswordFieldValue {
	if (!password) return null;
	return confirmed ? password : UNCONFIRMED_PASSWORD;
}

export function isUnconfirmedMarker(value: unknown): boolean {
	return typeof value === 'object' && value !== null && (value as { unconfirmed?: unknown }).unconfirmed === true;
}
