// Password generation and strength estimation, shared by the app (the password interface) and
// the API (the endpoint, the hook). Web Crypto exists in browsers and in Node 22 alike.
export const CHARACTER_CLASSES = {
	lower: 'abcdefghijklmnopqrstuvwxyz',
	upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
	digits: '0123456789',
	symbols: '!#$%&()*+,-.:;<=>?@[]^_{}~',
} as const;

export type CharacterClass = keyof typeof CHARACTER_CLASSES;

/** Characters people misread when copying a password by hand. */
export const LOOK_ALIKES = 'Il1O0o|';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 64;
export const PASSWORD_DEFAULT_LENGTH = 20;

export interface PasswordOptions {
	length?: number;
	classes?: CharacterClass[];
	excludeLookAlikes?: boolean;
}

const ALL_CLASSES = Object.keys(CHARACTER_CLASSES) as CharacterClass[];

// Plain checks rather than a schema library: this module ships in the app bundle too.
function normalizeOptions(options: PasswordOptions): Required<PasswordOptions> {
	const length = options.length ?? PASSWORD_DEFAULT_LENGTH;
	if (!Number.isInteger(length) || length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
		throw new RangeError(`A password must be ${PASSWORD_MIN_LENGTH}-${PASSWORD_MAX_LENGTH} characters long, not ${length}`);
	}
	const classes = options.classes ?? ALL_CLASSES;
	if (classes.length === 0 || classes.some((c) => !ALL_CLASSES.includes(c)))
		throw new RangeError(`Character classes must be some of ${ALL_CLASSES.join(', ')}`);
	return { length, classes, excludeLookAlikes: options.excludeLookAlikes ?? false };
}

type RandomSource = (buffer: Uint32Array) => Uint32Array;

const cryptoRandom: RandomSource = (buffer) => globalThis.crypto.getRandomValues(buffer);

/**
 * A uniformly distributed integer in [0, max). Values from the top of the 32-bit range that
 * would make some results more likely than others (modulo bias) are drawn again.
 */
export function randomInt(max: number, random: RandomSource = cryptoRandom): number {
	if (!Number.isInteger(max) || max <= 0 || max > 2 ** 32) throw new RangeError(`randomInt needs 0 < max <= 2^32, got ${max}`);
	const limit = Math.floor(2 ** 32 / max) * max;
	const buffer = new Uint32Array(1);
	for (;;) {
		const value = random(buffer)[0]!;
		if (value < limit) return value % max;
	}
}

function alphabetFor(characterClass: CharacterClass, excludeLookAlikes: boolean): string {
	const characters = CHARACTER_CLASSES[characterClass];
	return excludeLookAlikes ? [...characters].filter((c) => !LOOK_ALIKES.includes(c)).join('') : characters;
}

/** A password with at least one character of every requested class, in random positions. */
export function generatePassword(options: PasswordOptions = {}, random: RandomSource = cryptoRandom): string {
	const { length, classes, excludeLookAlikes } = normalizeOptions(options);
	const alphabets = [...new Set(classes)].map((c) => alphabetFor(c, excludeLookAlikes));
	const all = alphabets.join('');
	const characters = alphabets.map((alphabet) => alphabet[randomInt(alphabet.length, random)]!);
	while (characters.length < length) characters.push(all[randomInt(all.length, random)]!);
	// Fisher-Yates, so the guaranteed characters do not sit at predictable positions.
	for (let i = characters.length - 1; i > 0; i--) {
		const j = randomInt(i + 1, random);
		[characters[i], characters[j]] = [characters[j]!, characters[i]!];
	}
	return characters.join('');
}

export type StrengthLabel = 'very_weak' | 'weak' | 'fair' | 'strong' | 'very_strong';

export interface PasswordStrength {
	/** Estimated bits of entropy. */
	bits: number;
	label: StrengthLabel;
	/** 0-4, for a meter. */
	score: number;
	classes: CharacterClass[];
}

/**
 * Estimates entropy as length x log2(pool of the character classes used), discounted for
 * repeated characters and runs, which is what a person typing a password tends to add.
 * Generated passwords score close to their true entropy.
 */
export function estimateStrength(password: string): PasswordStrength {
	const classes = (Object.keys(CHARACTER_CLASSES) as CharacterClass[]).filter((c) =>
		[...password].some((ch) => CHARACTER_CLASSES[c].includes(ch)),
	);
	const others = [...password].some((ch) => !Object.values(CHARACTER_CLASSES).some((set) => set.includes(ch)));
	const pool = classes.reduce((sum, c) => sum + CHARACTER_CLASSES[c].length, 0) + (others ? 32 : 0);
	let effectiveLength = 0;
	const seen = new Map<string, number>();
	for (let i = 0; i < password.length; i++) {
		const ch = password[i]!;
		const previous = password.charCodeAt(i - 1);
		const isRun = i > 0 && Math.abs(password.charCodeAt(i) - previous) <= 1;
		const repeats = seen.get(ch) ?? 0;
		seen.set(ch, repeats + 1);
		effectiveLength += isRun ? 0.25 : 1 / (1 + repeats);
	}
	const bits = pool > 1 ? Math.round(effectiveLength * Math.log2(pool) * 10) / 10 : 0;
	const score = bits < 28 ? 0 : bits < 45 ? 1 : bits < 65 ? 2 : bits < 100 ? 3 : 4;
	const label = (['very_weak', 'weak', 'fair', 'strong', 'very_strong'] as const)[score]!;
	return { bits, label, score, classes };
}

export interface PasswordPolicy {
	minLength: number;
	minClasses: number;
	minBits: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: PASSWORD_MIN_LENGTH, minClasses: 3, minBits: 60 };

/** Problems with a password a person chose, in words they can act on; empty when acceptable. */
export function passwordProblems(password: string, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): string[] {
	const problems: string[] = [];
	if (password.length < policy.minLength) problems.push(`use at least ${policy.minLength} characters (this one has ${password.length})`);
	if (password.length > 128) problems.push('use at most 128 characters');
	if (/\s/.test(password)) problems.push('leave out spaces and line breaks');
	const strength = estimateStrength(password);
	if (strength.classes.length < policy.minClasses)
		problems.push(`mix at least ${policy.minClasses} of: lowercase, uppercase, digits, symbols`);
	if (problems.length === 0 && strength.bits < policy.minBits)
		problems.push(`make it less predictable (about ${Math.round(strength.bits)} bits of entropy, ${policy.minBits} needed)`);
	return problems;
}
