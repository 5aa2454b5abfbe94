// GET /nextpanel/insights/*: the figures the Insights panels and the module draw, each computed
// by the database in one or two aggregate queries. Every route first checks that the caller may
// read each collection it counts from (403 otherwise, with no figure), then validates its query.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { InvalidPayloadError } from '../core/errors.ts';
import { requireInsightAccess, type InsightCollection } from '../core/insights/access.ts';
import { accountsInsight } from '../core/insights/accounts.ts';
import { InsightRangeError, MAX_DAYS, bucketRange, dayRange, defaultRange } from '../core/insights/buckets.ts';
import { callsInsight } from '../core/insights/calls.ts';
import { capacityInsight } from '../core/insights/capacity.ts';
import { provisioningBuckets } from '../core/insights/provisioning.ts';
import { usageInsight } from '../core/insights/usage.ts';
import type { NextPanelServersService } from '../core/nextpanel-servers-service.ts';
import type { Runtime } from '../core/runtime.ts';
import { describeIssues } from '../shared/api-schemas.ts';
import {
	accountsQuerySchema,
	callsQuerySchema,
	capacityQuerySchema,
	provisioningQuerySchema,
	usageQuerySchema,
} from '../shared/wire/insights.ts';

type InsightRequest = Request & { schema: SchemaOverview };

interface InsightCaller {
	accountability: Accountability;
	schema: SchemaOverview;
	runtime: Runtime;
	servers: NextPanelServersService;
}

/** The endpoint's route wrapper: a logged-in user, the plugin set up, services built as the caller. */
export type InsightRoute = (handler: (req: InsightRequest, res: Response, caller: InsightCaller) => Promise<void>) => RequestHandler;

function query<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
	const result = schema.safeParse(req.query ?? {});
	if (!result.success) throw new InvalidPayloadError({ reason: describeIssues(result.error) });
	return result.data;
}

function inRange<T>(work: () => T): T {
	try {
		return work();
	} catch (error) {
		if (error instanceof InsightRangeError) throw new InvalidPayloadError({ reason: error.message });
		throw error;
	}
}

export function registerInsightRoutes(router: Router, route: InsightRoute): void {
	const insight = <T extends z.ZodType>(
		path: string,
		schema: T,
		collections: readonly InsightCollection[],
		answer: (q: z.infer<T>, caller: InsightCaller) => Promise<unknown>,
	) =>
		router.get(
			`/insights/${path}`,
			route(async (req, res, caller) => {
				const { runtime, schema: schemaOverview, accountability } = caller;
				await requireInsightAccess({ runtime, schema: schemaOverview, accountability, knex: runtime.database }, collections, path);
				res.json({ data: await answer(query(schema, req), caller) });
			}),
		);

	insight('accounts', accountsQuerySchema, ['hosting_accounts'], (q, { runtime, schema }) =>
		accountsInsight(runtime.database, schema, { server: q.server ?? null }),
	);

	insight('provisioning', provisioningQuerySchema, ['hosting_accounts', 'nextpanel_logs'], async (q, { runtime }) => {
		const range = inRange(() => bucketRange({ ...defaultRange(q, q.tz), interval: q.interval }, q.tz));
		const buckets = await provisioningBuckets(runtime.database, { buckets: range.buckets, server: q.server ?? null });
		return { from: range.from, to: range.to, interval: range.interval, tz: q.tz, buckets };
	});

	// The same query as GET /nextpanel/servers/capacity and the module's cards.
	insight('capacity', capacityQuerySchema, ['hosting_accounts', 'nextpanel_servers'], async (_q, { servers }) =>
		capacityInsight(await servers.capacity()),
	);

	// Server names are in the rows: they need read access to the servers too.
	insight('usage', usageQuerySchema, ['hosting_accounts', 'nextpanel_servers'], (q, { runtime }) =>
		usageInsight(runtime.database, { limit: q.limit, metric: q.metric, server: q.server ?? null }),
	);

	insight('calls', callsQuerySchema, ['hosting_accounts', 'nextpanel_servers', 'nextpanel_logs'], async (q, { runtime }) => {
		const { from, to } = defaultRange(q, q.tz);
		const range = inRange(() => dayRange(from, to, q.tz, MAX_DAYS.week));
		return { ...(await callsInsight(runtime.database, { ...range, server: q.server ?? null })), from, to, tz: q.tz };
	});
}
