// Quoting text that came from somewhere else (a NextPanel server, a request body) inside our own
// messages: never more than a short prefix, so an error or a report cannot echo a whole body.
export const EXCERPT_LENGTH = 40;

/** The text itself when short, else its first characters and how long it was. */
export function excerpt(text: string, length = EXCERPT_LENGTH): string {
	if (text.length <= length) return text;
	return `${text.slice(0, length)}… (${text.length} characters)`;
}
