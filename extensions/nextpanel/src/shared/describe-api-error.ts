// Turns whatever an API call threw into a sentence for a person: Directus error bodies (with
// NextPanel field errors), HTML pages from a proxy, network failures, plain strings, thrown
// objects. The old app crashed rendering a 422 list; every shape here ends as text.

export interface ApiErrorInfo {
	/** One or more sentences a person can act on; never empty. */
	message: string;
	/** HTTP status, when the server answered at all. */
	status: number | null;
	/** `extensions.code` of the first Directus error, e.g. `NEXTPANEL_ERROR`. */
	code: string | null;
	/** The hosting account a failed provisioning left behind (failed, or waiting for a retry). */
	hostingAccount: string | null;
}

const NO_DETAILS = 'Something went wrong, but no details were given.';

interface ErrorItem {
	message: string | null;
	code: string | null;
	reason: string | null;
	hostingAccount: string | null;
	fields: string[];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const record = (value: unknown): Record<string, unknown> | null =>
	typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

function readItem(value: unknown): ErrorItem {
	const item = record(value) ?? {};
	const extensions = record(item['extensions']) ?? {};
	const fields = Array.isArray(extensions['fields'])
		? extensions['fields'].flatMap((entry) => {
				const field = text(record(entry)?.['field']);
				const message = text(record(entry)?.['message']);
				return field && message ? [`${field}: ${message}`] : [];
			})
		: [];
	return {
		message: text(item['message']),
		code: text(extensions['code']),
		reason: text(extensions['reason']),
		hostingAccount: text(extensions['hosting_account']),
		fields,
	};
}

function sentenceOf(item: ErrorItem): string {
	const base = item.message ?? item.reason ?? 'The request failed.';
	const missing = item.fields.filter((field) => !base.includes(field));
	return missing.length ? `${base} (${missing.join('; ')})` : base;
}

/** The `errors` array of a Directus error body, wherever the client library put it. */
function errorItems(error: Record<string, unknown>): ErrorItem[] | null {
	const body = record(record(error['response'])?.['data']);
	const list = Array.isArray(body?.['errors']) ? body['errors'] : Array.isArray(error['errors']) ? error['errors'] : null;
	return list && list.length ? list.map(readItem) : null;
}

/** A page title or the first words of a non-JSON answer (a proxy's 502 page, a login form). */
function summarizeBody(body: string): string | null {
	const title = text(/<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]);
	if (title) return title;
	if (/<[a-z!][^>]*>/i.test(body)) return null;
	const words = body.replace(/\s+/g, ' ').trim();
	return words ? (words.length > 160 ? `${words.slice(0, 157)}...` : words) : null;
}

export function readApiError(error: unknown): ApiErrorInfo {
	const info = (
		message: string,
		status: number | null = null,
		code: string | null = null,
		hostingAccount: string | null = null,
	): ApiErrorInfo => ({ message, status, code, hostingAccount });
	if (error === null || error === undefined) return info(NO_DETAILS);
	if (typeof error === 'string') return info(text(error) ?? NO_DETAILS);
	const candidate = record(error);
	if (!candidate) return info(String(error));

	const response = record(candidate['response']);
	const status = typeof response?.['status'] === 'number' ? response['status'] : null;
	const items = errorItems(candidate);
	if (items) {
		const message = [...new Set(items.map(sentenceOf))].join(' ');
		return info(message, status, items[0]!.code, items.find((item) => item.hostingAccount)?.hostingAccount ?? null);
	}
	const data = response?.['data'];
	if (typeof data === 'string' && data.trim()) {
		const summary = summarizeBody(data);
		return info(`The server answered ${status ?? 'with an error'}${summary ? `: ${summary}` : ''}.`, status);
	}
	if (status) return info(`The server answered ${status} without an explanation.`, status);
	if (candidate['code'] === 'ERR_NETWORK' || candidate['message'] === 'Network Error' || candidate['message'] === 'Failed to fetch')
		return info('Directus could not be reached. Check your connection and try again.');
	if (candidate['code'] === 'ECONNABORTED' || candidate['name'] === 'AbortError')
		return info('The request took too long and was stopped. Try again.');
	const message = text(candidate['message']);
	if (message) return info(message);
	try {
		return info(JSON.stringify(error));
	} catch {
		return info('Something went wrong, but the error could not be shown.');
	}
}

export function describeApiError(error: unknown): string {
	return readApiError(error).message;
}
