// E-mail checks as NextPanel's `EmailStr` field runs them (pydantic's wrapper around the
// email-validator package, deliverability off), with the same reasons in the same order, so a
// rejected address produces the 422 message a real server would. International domains are
// only approximated (no full UTS-46/IDNA); everything a billing system realistically sends is
// covered exactly.
import { domainToASCII, domainToUnicode } from 'node:url';

export type EmailCheck = { ok: true; normalized: string } | { ok: false; reason: string };

const MAX_EMAIL_LENGTH = 2048;
const EMAIL_MAX_LENGTH = 254;
const DOMAIN_MAX_LENGTH = 253;
const DNS_LABEL_LENGTH_LIMIT = 63;

const ATEXT = "a-zA-Z0-9_!#\\$%&'\\*\\+\\-/=\\?\\^`\\{\\|\\}~";
const ATEXT_CHAR = new RegExp(`^[.${ATEXT}]$`);
const DOT_ATOM_TEXT = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const ATEXT_INTL_CHAR = new RegExp(`^[.${ATEXT}\\u{80}-\\u{10FFFF}]$`, 'u');
const DOT_ATOM_TEXT_INTL = new RegExp(`^[${ATEXT}\\u{80}-\\u{10FFFF}]+(?:\\.[${ATEXT}\\u{80}-\\u{10FFFF}]+)*$`, 'u');
const QTEXT_INTL_CHAR = /^[\u0020-\u007E\u{80}-\u{10FFFF}]$/u;
const HOSTNAME_INTL_CHAR = /^[a-zA-Z0-9\-.\u{80}-\u{10FFFF}]$/u;
const HOSTNAME_LABEL = '(?:(?:[a-zA-Z0-9][a-zA-Z0-9\\-]*)?[a-zA-Z0-9])';
const DOT_ATOM_TEXT_HOSTNAME = new RegExp(`^${HOSTNAME_LABEL}(?:\\.${HOSTNAME_LABEL})*$`);
const ENDS_WITH_LETTER = /[A-Za-z]$/;
const SPECIAL_USE_DOMAINS = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'];
const CASE_INSENSITIVE_MAILBOXES = [
	'info',
	'marketing',
	'sales',
	'support',
	'abuse',
	'noc',
	'security',
	'postmaster',
	'hostmaster',
	'usenet',
	'news',
	'webmaster',
	'www',
	'uucp',
	'ftp',
];

// pydantic accepts `Display Name <address>` and validates only the address.
const NAME_CHARS = "[\\p{L}\\p{N}_.!#$%&'*+\\-/=?^`{|}~]";
const PRETTY_EMAIL = new RegExp(`^\\s*(?:((?:${NAME_CHARS}+\\s+)*${NAME_CHARS}+)|"((?:[^"]|")+)")?\\s*<(.+)>\\s*$`, 'u');

const CHARACTER_NAMES: Record<string, string> = {
	' ': 'SPACE',
	'\u00a0': 'NO-BREAK SPACE',
	'\u200b': 'ZERO WIDTH SPACE',
	'\u2028': 'LINE SEPARATOR',
	'\u2029': 'PARAGRAPH SEPARATOR',
	'\ufeff': 'ZERO WIDTH NO-BREAK SPACE',
};

class EmailSyntaxError extends Error {}

const characters = (text: string) => [...text];
const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/** How email-validator names a character in a message: 'x' for visible ones, a name otherwise. */
function display(char: string): string {
	if (char === '\\') return '"\\"';
	if (/[\p{L}\p{N}\p{P}\p{S}]/u.test(char)) return char === "'" ? `"'"` : `'${char}'`;
	const code = char.codePointAt(0) ?? 0;
	return (
		CHARACTER_NAMES[char] ??
		`U+${code
			.toString(16)
			.toUpperCase()
			.padStart(code < 0xffff ? 4 : 8, '0')}`
	);
}

const listOf = (chars: Iterable<string>) => [...new Set([...chars].map(display))].sort().join(', ');

function lengthReason(text: string, limit: number): string {
	const diff = characters(text).length - limit;
	return `(${diff} character${diff > 1 ? 's' : ''} too many)`;
}

function rejectUnsafe(text: string, allowSpace: boolean): void {
	const bad = characters(text).filter((char, index) => {
		if (/[\p{L}\p{N}\p{P}\p{S}]/u.test(char)) return false;
		if (/\p{M}/u.test(char)) return index === 0;
		if (/\p{Zs}/u.test(char)) return !allowSpace;
		return true;
	});
	if (bad.length)
		throw new EmailSyntaxError(`The email address contains unsafe characters: ${[...new Set(bad)].sort().map(display).join(', ')}.`);
}

function checkDotAtom(label: string, startMessage: string, endMessage: string, isHostname: boolean): void {
	if (label.endsWith('.')) throw new EmailSyntaxError(endMessage.replace('{}', 'period'));
	if (label.startsWith('.')) throw new EmailSyntaxError(startMessage.replace('{}', 'period'));
	if (label.includes('..')) throw new EmailSyntaxError('An email address cannot have two periods in a row.');
	if (!isHostname) return;
	if (label.endsWith('-')) throw new EmailSyntaxError(endMessage.replace('{}', 'hyphen'));
	if (label.startsWith('-')) throw new EmailSyntaxError(startMessage.replace('{}', 'hyphen'));
	if (label.includes('.-') || label.includes('-.'))
		throw new EmailSyntaxError('An email address cannot have a period and a hyphen next to each other.');
}

/** Splits at the first unquoted special character, as email-validator's split_email does. */
function splitAtUnquoted(text: string, specials: string[]): [string, string] {
	let insideQuote = false;
	let escaped = false;
	let left = '';
	for (const char of text) {
		if (insideQuote) {
			left += char;
			if (char === '\\' && !escaped) escaped = true;
			else if (char === '"' && !escaped) insideQuote = false;
			else escaped = false;
		} else if (char === '"') {
			left += char;
			insideQuote = true;
		} else if (specials.includes(char)) {
			break;
		} else {
			left += char;
		}
	}
	if (left.length === text.length) {
		if (text.includes('＠'))
			throw new EmailSyntaxError('The email address has the "full-width" at-sign (@) character instead of a regular at-sign.');
		if (text.includes('﹫'))
			throw new EmailSyntaxError('The email address has the "small commercial at" character instead of a regular at-sign.');
		throw new EmailSyntaxError('An email address must have an @-sign.');
	}
	return [left, text.slice(left.length)];
}

function unquote(text: string): { value: string; quoted: boolean } {
	if (!text.startsWith('"')) return { value: text, quoted: false };
	const chars = characters(text);
	let value = '';
	let escaped = false;
	for (let i = 1; i < chars.length; i++) {
		const char = chars[i]!;
		if (escaped) {
			value += char;
			escaped = false;
		} else if (char === '\\') {
			escaped = true;
		} else if (char === '"') {
			if (i !== chars.length - 1)
				throw new EmailSyntaxError(
					`Extra character(s) found after close quote: ${chars
						.slice(i + 1)
						.map(display)
						.join(', ')}`,
				);
			break;
		} else {
			value += char;
		}
	}
	return { value, quoted: true };
}

interface SplitAddress {
	displayName: string | null;
	localPart: string;
	unquotedLocal: string;
	quoted: boolean;
	domain: string;
}

function splitEmail(email: string): SplitAddress {
	let [left, right] = splitAtUnquoted(email, ['@', '<']);
	let displayName: string | null = null;
	let localPart = left;
	if (right.startsWith('<')) {
		left = left.trimEnd();
		const name = unquote(left);
		if (!name.quoted) {
			const bad = characters(name.value).filter((char) => (!ATEXT_CHAR.test(char) && char !== ' ') || char === '.');
			if (bad.length) throw new EmailSyntaxError(`The display name contains invalid characters when not quoted: ${listOf(bad)}.`);
		}
		rejectUnsafe(name.value, true);
		if (!right.includes('>'))
			throw new EmailSyntaxError(
				'An open angle bracket at the start of the email address has to be followed by a close angle bracket at the end.',
			);
		right = right.replace(/ +$/, '');
		if (!right.endsWith('>')) throw new EmailSyntaxError("There can't be anything after the email address.");
		displayName = name.value;
		[localPart, right] = splitAtUnquoted(right.slice(1).replace(/>+$/, ''), ['@']);
	}
	const domain = right.startsWith('@') ? right.slice(1) : right;
	const { value, quoted } = unquote(localPart);
	return { displayName, localPart, unquotedLocal: value, quoted, domain };
}

function validateLocalPart(local: string, quoted: boolean): string {
	if (local.length === 0) throw new EmailSyntaxError('There must be something before the @-sign.');
	if (DOT_ATOM_TEXT.test(local)) return local;
	if (DOT_ATOM_TEXT_INTL.test(local)) {
		rejectUnsafe(local, false);
		return local;
	}
	if (quoted) {
		const bad = characters(local).filter((char) => !QTEXT_INTL_CHAR.test(char));
		if (bad.length)
			throw new EmailSyntaxError(`The email address contains invalid characters in quotes before the @-sign: ${listOf(bad)}.`);
		rejectUnsafe(local, true);
		return `"${local.replace(/(["\\])/g, '\\$1')}"`;
	}
	const bad = characters(local).filter((char) => !ATEXT_INTL_CHAR.test(char));
	if (bad.length) throw new EmailSyntaxError(`The email address contains invalid characters before the @-sign: ${listOf(bad)}.`);
	checkDotAtom(
		local,
		'An email address cannot start with a {}.',
		'An email address cannot have a {} immediately before the @-sign.',
		false,
	);
	throw new EmailSyntaxError('The email address contains invalid characters before the @-sign.');
}

function validateDomain(domain: string): { ascii: string; unicode: string } {
	let bad = characters(domain).filter((char) => !HOSTNAME_INTL_CHAR.test(char));
	if (bad.length) throw new EmailSyntaxError(`The part after the @-sign contains invalid characters: ${listOf(bad)}.`);
	rejectUnsafe(domain, false);
	// Stands in for UTS-46 mapping: case folding, NFC and the other full stops.
	const mapped = domain
		.normalize('NFC')
		.toLowerCase()
		.replace(/[\u3002\uff0e\uff61]/g, '.');
	bad = characters(mapped).filter((char) => !HOSTNAME_INTL_CHAR.test(char));
	if (bad.length)
		throw new EmailSyntaxError(`The part after the @-sign contains invalid characters after Unicode normalization: ${listOf(bad)}.`);
	checkDotAtom(mapped, 'An email address cannot have a {} immediately after the @-sign.', 'An email address cannot end with a {}.', true);
	for (const label of mapped.split('.')) {
		if (/^(?!xn)..--/i.test(label))
			throw new EmailSyntaxError(
				'An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode.',
			);
	}
	const ascii = DOT_ATOM_TEXT_HOSTNAME.test(mapped) ? mapped : domainToASCII(mapped);
	if (!ascii || !DOT_ATOM_TEXT_HOSTNAME.test(ascii))
		throw new EmailSyntaxError('The email address contains invalid characters after the @-sign after IDNA encoding.');
	if (ascii.length > DOMAIN_MAX_LENGTH) {
		if (ascii === domain)
			throw new EmailSyntaxError(`The email address is too long after the @-sign ${lengthReason(ascii, DOMAIN_MAX_LENGTH)}.`);
		const diff = ascii.length - DOMAIN_MAX_LENGTH;
		throw new EmailSyntaxError(
			`The email address is too long after the @-sign (${diff} byte${diff === 1 ? '' : 's'} too many after IDNA encoding).`,
		);
	}
	for (const label of ascii.split('.')) {
		if (label.length > DNS_LABEL_LENGTH_LIMIT)
			throw new EmailSyntaxError(
				`After the @-sign, periods cannot be separated by so many characters ${lengthReason(label, DNS_LABEL_LENGTH_LIMIT)}.`,
			);
	}
	if (!ascii.includes('.')) throw new EmailSyntaxError('The part after the @-sign is not valid. It should have a period.');
	if (!ENDS_WITH_LETTER.test(ascii))
		throw new EmailSyntaxError('The part after the @-sign is not valid. It is not within a valid top-level domain.');
	if (SPECIAL_USE_DOMAINS.some((special) => ascii === special || ascii.endsWith(`.${special}`))) {
		throw new EmailSyntaxError('The part after the @-sign is a special-use or reserved name that cannot be used with email.');
	}
	return { ascii, unicode: domainToUnicode(ascii) || ascii };
}

function checkLength(address: string, reason: string | null): void {
	const diff = utf8Length(address) - EMAIL_MAX_LENGTH;
	if (diff <= 0) return;
	const plural = diff > 1 ? 's' : '';
	if (reason === null && utf8Length(address) === characters(address).length)
		throw new EmailSyntaxError(`The email address is too long ${lengthReason(address, EMAIL_MAX_LENGTH)}.`);
	if (reason === null) {
		const widest = Math.max(...characters(address).map(utf8Length));
		const fewest = Math.max(1, Math.floor(diff / widest));
		throw new EmailSyntaxError(
			`The email address is too long (${fewest === diff ? '' : `${fewest}-`}${diff} character${plural} too many).`,
		);
	}
	throw new EmailSyntaxError(`The email address is too long ${reason} (${diff} byte${plural} too many).`);
}

function validateEmail(email: string): string {
	const { displayName, localPart: originalLocal, unquotedLocal, quoted, domain } = splitEmail(email);
	let local = validateLocalPart(unquotedLocal, quoted);
	const normalizedLocal = local.normalize('NFC');
	if (normalizedLocal !== local) {
		try {
			validateLocalPart(normalizedLocal, quoted);
		} catch (error) {
			throw new EmailSyntaxError(`After Unicode normalization: ${(error as Error).message}`);
		}
		local = normalizedLocal;
	}
	if (quoted) throw new EmailSyntaxError('Quoting the part before the @-sign is not allowed here.');
	if (CASE_INSENSITIVE_MAILBOXES.includes(local.toLowerCase())) local = local.toLowerCase();
	if (domain.length === 0) throw new EmailSyntaxError('There must be something after the @-sign.');
	if (domain.startsWith('[') && domain.endsWith(']'))
		throw new EmailSyntaxError('A bracketed IP address after the @-sign is not allowed here.');
	const { ascii, unicode } = validateDomain(domain);
	const normalized = `${local}@${unicode}`;
	checkLength(`${originalLocal}@${domain}`, null);
	checkLength(normalized, 'after normalization');
	checkLength(`${local}@${ascii}`, 'when the part after the @-sign is converted to IDNA ASCII');
	if (displayName !== null)
		throw new EmailSyntaxError('A display name and angle brackets around the email address are not permitted here.');
	return normalized;
}

/** pydantic's `validate_email`: the normalised address, or the reason it is not valid. */
export function checkEmail(input: string): EmailCheck {
	if (characters(input).length > MAX_EMAIL_LENGTH) return { ok: false, reason: `Length must not exceed ${MAX_EMAIL_LENGTH} characters` };
	const pretty = PRETTY_EMAIL.exec(input);
	const address = (pretty ? pretty[3]! : input).trim();
	try {
		return { ok: true, normalized: validateEmail(address) };
	} catch (error) {
		if (error instanceof EmailSyntaxError) return { ok: false, reason: error.message };
		throw error;
	}
}
