// NextPanel's username rules and the derivation of a username from a customer. Shared by the
// app (suggestions, inline validation) and the API (validation before any NextPanel call).

export const USERNAME_PATTERN = /^[a-z][a-z0-9_]{2,31}$/;
export const USERNAME_MAX_LENGTH = 32;
export const RESERVED_USERNAMES: readonly string[] = [
	'root',
	'admin',
	'administrator',
	'nextpanel',
	'www',
	'mail',
	'ftp',
	'mysql',
	'postgres',
	'nobody',
];

export function usernameProblem(username: string): string | null {
	if (username.length < 3 || username.length > USERNAME_MAX_LENGTH) return `must be 3-${USERNAME_MAX_LENGTH} characters long`;
	if (!/^[a-z]/.test(username)) return 'must start with a lowercase letter';
	if (!USERNAME_PATTERN.test(username)) return 'may contain only lowercase letters, digits and _';
	if (RESERVED_USERNAMES.includes(username)) return 'is reserved by NextPanel';
	return null;
}

function asciiLower(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
}

/** "Zoë O'Brien" <zoe@example.com> -> "zoeobrien"; always a valid username. */
export function deriveUsername(customer: { full_name?: string | null; email?: string | null }): string {
	// Usernames start with a letter, so leading digits are dropped before judging what is left.
	const usable = (text: string) => asciiLower(text).replace(/^[0-9]+/, '');
	let base = usable(customer.full_name ?? '');
	if (base.length < 3) base = usable((customer.email ?? '').split('@')[0] ?? '');
	if (base.length < 3) base = `user${base}`;
	base = base.slice(0, USERNAME_MAX_LENGTH - 4);
	return RESERVED_USERNAMES.includes(base) ? `${base}1` : base;
}

/** The n-th alternative of a taken username: johndoe -> johndoe2, johndoe3, ... */
export function usernameCandidate(base: string, attempt: number): string {
	if (attempt <= 1) return base;
	const suffix = String(attempt);
	return base.slice(0, USERNAME_MAX_LENGTH - suffix.length) + suffix;
}
