// One request to a /nextpanel/insights route, turned into what a panel draws: the figures, "you
// may not read these" (403), or a reason it failed. The answer is checked against the wire schema,
// so a panel never draws a half-understood shape.
import type { z } from 'zod';
import { describeIssues } from '../../shared/api-schemas.ts';
import { readApiError } from '../../shared/describe-api-error.ts';
import { strings } from './strings.ts';

export type InsightRoute = 'accounts' | 'provisioning' | 'capacity' | 'usage' | 'calls';

/** Query parameters as a panel builds them: null, undefined and '' mean "not set" and are left out. */
export type InsightParams = Readonly<Record<string, string | number | null | undefined>>;

/** The part of the app's axios instance a request needs. */
export interface InsightClient {
	get(url: string, config: { params: Record<string, string | number> }): Promise<{ data: unknown }>;
}

export type InsightResult<T> = { state: 'ready'; data: T } | { state: 'forbidden' } | { state: 'failed'; reason: string };

export function insightPath(route: InsightRoute): string {
	return `/nextpanel/insights/${route}`;
}

export function compactParams(params: InsightParams): Record<string, string | number> {
	const compact: Record<string, string | number> = {};
	for (const [key, value] of Object.entries(params)) {
		if (value === null || value === undefined || value === '') continue;
		compact[key] = value;
	}
	return compact;
}

export async function requestInsight<T extends z.ZodType>(
	api: InsightClient,
	route: InsightRoute,
	params: InsightParams,
	schema: T,
): Promise<InsightResult<z.infer<T>>> {
	let body: unknown;
	try {
		body = (await api.get(insightPath(route), { params: compactParams(params) })).data;
	} catch (error) {
		const info = readApiError(error);
		return info.status === 403 ? { state: 'forbidden' } : { state: 'failed', reason: info.message };
	}
	const data = typeof body === 'object' && body !== null && 'data' in body ? (body as { data: unknown }).data : undefined;
	const parsed = schema.safeParse(data);
	return parsed.success
		? { state: 'ready', data: parsed.data }
		: { state: 'failed', reason: strings.unexpectedAnswer(describeIssues(parsed.error)) };
}
