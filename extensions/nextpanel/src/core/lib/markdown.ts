// Directus renders notification messages as markdown (and the app as HTML from it). Text from
// NextPanel or from a request is data, not markup: escaped before it goes into a message, so a
// username such as `<img src=x onerror=...>` shows as text and runs nothing.
import { excerpt } from '../../shared/text.ts';

const MARKDOWN_SPECIALS = /[\\`*_{}[\]()#+\-.!|<>&~"']/g;

export function escapeMarkdown(text: string): string {
	return text.replace(MARKDOWN_SPECIALS, (char) => (char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '&' ? '&amp;' : `\\${char}`));
}

/** A name for a subject line (plain text in Directus's app): quoted, short, with no markup characters. */
export function displayName(text: string): string {
	return `"${excerpt(text).replace(/[<>&`*_[\]\\]/g, '')}"`;
}
