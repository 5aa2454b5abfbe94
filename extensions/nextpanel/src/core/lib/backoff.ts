// Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries
// from many accounts spread out without any of them retrying almost at once.
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
	const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(exponential / 2 + random() * (exponential / 2));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
