// Keeps passwords and secrets out of nextpanel_logs and error output, whatever the nesting.
const SENSITIVE_KEY = /pass(word)?|secret|token|authorization|cookie|ciphertext/i;

export const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
	if (depth > 8) return REDACTED;
	if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, item]) => [
				key,
				SENSITIVE_KEY.test(key) && item !== null && item !== undefined ? REDACTED : redact(item, depth + 1),
			]),
		);
	}
	return value;
}
