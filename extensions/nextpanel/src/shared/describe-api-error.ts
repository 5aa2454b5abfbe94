// Turns whatever an API call threw into a sentence for a person: Directus error bodies (with
// NextPanel field errors), network failures, plain strings, thrown objects. The old app
// crashed rendering a 422 list; every shape here ends as text.

interface DirectusErrorItem {
	message?: unknown;
	extensions?: { code?: unknown; reason?: unknown; fields?: unknown };
}

function fromDirectusErrors(errors: unknown): string | null {
	if (!Array.isArray(errors) || errors.length === 0) return null;
	const parts = errors.map((item: DirectusErrorItem) => {
		const message = typeof item?.message === 'string' ? item.message : typeof item?.extensions?.reason === 'string' ? item.extensions.reason : null;
		const fields = Array.isArray(item?.extensions?.fields)
			? (item.extensions!.fields as { field?: unknown; message?: unknown }[])
					.filter((f) => typeof f?.field === 'string' && typeof f?.message === 'string')
					.map((f) => `${f.field}: ${f.message}`)
			: [];
		const text = message ?? 'The request failed';
		return fields.length && !fields.every((f) => text.includes(f)) ? `${text} (${fields.join('; ')})` : text;
	});
	return [...new Set(parts)].join(' ');
}

export function describeApiError(error: unknown): string {
	if (error === null || error === undefined) return 'Something went wrong, but no details were given.';
	if (typeof error === 'string') return error.trim() || 'Something went wrong, but no details were given.';
	if (typeof error !== 'object') return String(error);

	const candidate = error as {
		response?: { status?: number; data?: unknown };
		errors?: unknown;
		message?: unknown;
		code?: unknown;
	};
	const data = candidate.response?.data;
	const fromBody = fromDirectusErrors((data as { errors?: unknown } | undefined)?.errors) ?? fromDirectusErrors(candidate.errors);
	if (fromBody) return fromBody;
	if (typeof data === 'string' && data.trim()) {
		const title = /<title[^>]*>([^<]*)<\/title>/i.exec(data)?.[1]?.trim();
		return `The server answered ${candidate.response?.status ?? 'an error'}${title ? `: ${title}` : ''}.`;
	}
	if (candidate.response?.status) return `The server answered ${candidate.response.status} without an explanation.`;
	if (candidate.code === 'ERR_NETWORK' || candidate.message === 'Network Error') return 'Directus could not be reached. Check your connection and try again.';
	if (candidate.code === 'ECONNABORTED') return 'The request took too long and was stopped. Try again.';
	if (typeof candidate.message === 'string' && candidate.message) return candidate.message;
	try {
		return JSON.stringify(error);
	} catch {
		return 'Something went wrong, but the error could not be shown.';
	}
}
