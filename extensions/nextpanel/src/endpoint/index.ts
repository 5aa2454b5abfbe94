// The /nextpanel REST routes. Each one needs a logged-in user, validates its input before any
// NextPanel call, and calls a service built with the caller's accountability; the services
// decide every rule. Payload limits are Directus's own (MAX_PAYLOAD_SIZE).
import { defineEndpoint } from '@directus/extensions-sdk';
import type { Accountability, SchemaOverview } from '@directus/types';
import type { NextFunction, Request, Response, Router } from 'express';
import type { z } from 'zod';
import { AuthenticationRequiredError, ForbiddenError, InvalidPayloadError, StateConflictError } from '../core/errors.ts';
import { HostingAccountsService } from '../core/hosting-accounts/hosting-accounts-service.ts';
import { provisioningError } from '../core/hosting-accounts/provisioning-result.ts';
import { ProvisioningService } from '../core/hosting-accounts/provisioning-service.ts';
import { ServerAdoptionService } from '../core/hosting-accounts/server-adoption-service.ts';
import { removePlugin } from '../core/install/removal.ts';
import { JOBS } from '../core/jobs.ts';
import { previewOverdue } from '../core/overdue/overdue-preview.ts';
import { PLUGIN_COLLECTIONS, requireSetup, setupProblems } from '../core/lib/readiness.ts';
import { collectionRoomNotes } from '../core/install/collection-room.ts';
import { hostingActionFlowNotice } from '../core/install/hosting-action-flow.ts';
import { NextPanelServersService } from '../core/nextpanel-servers-service.ts';
import { useRuntime, type Runtime } from '../core/runtime.ts';
import { registerInsightRoutes } from './insights-routes.ts';
import {
	credentialsSchema,
	describeIssues,
	emptyBodySchema,
	idParamSchema,
	importRequestSchema,
	provisionRequestSchema,
	removalRequestSchema,
	serverTestEditsSchema,
	suspendRequestSchema,
} from '../shared/api-schemas.ts';

type DirectusRequest = Request & { accountability?: Accountability | null; schema: SchemaOverview };

interface Caller {
	accountability: Accountability;
	schema: SchemaOverview;
	runtime: Runtime;
	provisioning: ProvisioningService;
	accounts: HostingAccountsService;
	adoption: ServerAdoptionService;
	servers: NextPanelServersService;
}

type Handler = (req: DirectusRequest, res: Response, caller: Caller) => Promise<void>;

function parse<T extends z.ZodType>(schema: T, value: unknown, label?: string): z.infer<T> {
	const result = schema.safeParse(value ?? (label ? undefined : {}));
	if (!result.success) {
		throw new InvalidPayloadError({ reason: label ? `${label}: ${describeIssues(result.error)}` : describeIssues(result.error) });
	}
	return result.data;
}

export default defineEndpoint({
	id: 'nextpanel',
	handler: (router: Router, context) => {
		const runtime = useRuntime(context);

		/** Wraps a route: a logged-in user, the plugin set up, services built as the caller. */
		const route =
			(handler: Handler, { setup = true }: { setup?: boolean } = {}) =>
			async (req: Request, res: Response, next: NextFunction) => {
				try {
					const request = req as DirectusRequest;
					const accountability = request.accountability;
					if (!accountability?.user) throw new AuthenticationRequiredError();
					if (setup) requireSetup(runtime, request.schema);
					const options = { runtime, schema: request.schema, accountability };
					await handler(request, res, {
						accountability,
						schema: request.schema,
						runtime,
						provisioning: new ProvisioningService(options),
						accounts: new HostingAccountsService(options),
						adoption: new ServerAdoptionService(options),
						servers: new NextPanelServersService(options),
					});
				} catch (error) {
					next(error);
				}
			};

		const accountId = (req: DirectusRequest) => parse(idParamSchema, req.params['id'], 'id');

		// What the app shows when the plugin cannot work yet: what to set, in words.
		router.get(
			'/status',
			route(
				async (req, res) => {
					// The customer collection counts too when the plugin is yet to create it.
					const missingRequired = [...PLUGIN_COLLECTIONS, runtime.config.NEXTPANEL_CUSTOMERS_COLLECTION].filter(
						(collection) => !req.schema.collections[collection],
					);
					const room = await collectionRoomNotes(runtime, req.schema, { missingRequired });
					const problems = [...setupProblems(runtime, req.schema), ...room.problems];
					const { config } = runtime;
					// The app names the host's own customer collection and fields with these.
					const customers = {
						collection: config.NEXTPANEL_CUSTOMERS_COLLECTION,
						name_field: config.NEXTPANEL_CUSTOMER_NAME_FIELD,
						email_field: config.NEXTPANEL_CUSTOMER_EMAIL_FIELD,
					};
					const flowNotice = await hostingActionFlowNotice(runtime.database);
					const notices = flowNotice ? [...room.notices, flowNotice] : room.notices;
					res.json({ data: { ready: problems.length === 0, problems, notices, customers } });
				},
				{ setup: false },
			),
		);

		// Removing the plugin, or undoing what an earlier version put on a system collection; the
		// CLI's uninstall and repair. They work whatever the setup, which is when they are needed.
		for (const mode of ['uninstall', 'repair'] as const) {
			router.post(
				`/${mode}`,
				route(
					async (req, res, { accountability }) => {
						if (!accountability.admin) throw new ForbiddenError({ reason: `Only administrators can ${mode} the NextPanel plugin.` });
						const body = parse(removalRequestSchema, req.body ?? {});
						const report = await removePlugin(runtime, {
							repairOnly: mode === 'repair',
							dryRun: body.dry_run,
							deleteData: body.delete_data,
						});
						if (!report.dry_run && !report.applied) {
							throw new StateConflictError({ reason: `Nothing was removed: ${report.plan.blockers.join(' ')}` });
						}
						res.json({ data: report });
					},
					{ setup: false },
				),
			);
		}

		router.get(
			'/overdue',
			route(async (_req, res, { accountability, schema }) => {
				res.json({ data: await previewOverdue({ runtime, schema, accountability, knex: runtime.database }) });
			}),
		);

		router.post(
			'/servers/test',
			route(async (req, res, { servers }) => {
				res.json(await servers.testCredentials(parse(credentialsSchema, req.body)));
			}),
		);

		router.post(
			'/servers/:id/test',
			route(async (req, res, { servers }) => {
				const id = parse(idParamSchema, req.params['id'], 'id');
				res.json(await servers.testSaved(id, parse(serverTestEditsSchema, req.body ?? {})));
			}),
		);

		router.post(
			'/servers/:id/import',
			route(async (req, res, { adoption }) => {
				const id = parse(idParamSchema, req.params['id'], 'id');
				res.json({ data: await adoption.importFromServer(id, parse(importRequestSchema, req.body ?? {})) });
			}),
		);

		router.get(
			'/servers/:id/drift',
			route(async (req, res, { adoption }) => {
				const id = parse(idParamSchema, req.params['id'], 'id');
				res.json({ data: await adoption.driftOf(id) });
			}),
		);

		router.post(
			'/servers/:id/drift',
			route(async (req, res, { adoption }) => {
				const id = parse(idParamSchema, req.params['id'], 'id');
				parse(emptyBodySchema, req.body ?? {});
				res.json({ data: await adoption.recordDriftOf(id) });
			}),
		);

		router.get(
			'/servers/capacity',
			route(async (_req, res, { servers }) => {
				const usage = await servers.capacity();
				res.json({
					data: usage.map((s) => ({
						id: s.id,
						name: s.name,
						status: s.status,
						capacity: s.capacity,
						active_accounts: s.used,
						free_slots: s.free,
						full: s.free <= 0,
						packages: s.packages,
					})),
				});
			}),
		);

		registerInsightRoutes(router, route);

		// Runs a scheduled job now: for operators ("sync everything now") and for tests.
		router.post(
			'/jobs/:job',
			route(async (req, res, { accountability, schema }) => {
				if (!accountability.admin) throw new ForbiddenError({ reason: 'Only administrators can run NextPanel jobs on demand.' });
				const name = String(req.params['job'] ?? '');
				const job = JOBS.get(name);
				if (!job)
					throw new InvalidPayloadError({ reason: `job: unknown job "${name.slice(0, 40)}"; use one of ${[...JOBS.keys()].join(', ')}` });
				const report = await job({ runtime, schema });
				res.json({ data: { job: report.job, processed: report.processed, failed: report.failed } });
			}),
		);

		router.post(
			'/accounts',
			route(async (req, res, { provisioning, accounts }) => {
				const provisioned = await provisioning.provision(parse(provisionRequestSchema, req.body));
				const error = provisioningError(provisioned.result, provisioned.id);
				if (error) throw error;
				// Built from the row the provisioning wrote, as the caller may read it: no second query.
				const data = provisioned.written
					? await accounts.visibleFromWritten(provisioned.written)
					: await accounts.readVisible(provisioned.id);
				const busy = provisioned.result.outcome === 'busy';
				res
					.status(busy ? 202 : 201)
					.json({ data, ...(provisioned.generatedPassword ? { generated_password: provisioned.generatedPassword } : {}) });
			}),
		);

		router.post(
			'/accounts/:id/retry',
			route(async (req, res, { provisioning, accounts }) => {
				const id = accountId(req);
				parse(emptyBodySchema, req.body ?? {});
				const error = provisioningError(await provisioning.retry(id), id);
				if (error) throw error;
				res.json({ data: await accounts.readVisible(id) });
			}),
		);

		router.post(
			'/accounts/:id/reveal-password',
			route(async (req, res, { accounts }) => {
				const id = accountId(req);
				parse(emptyBodySchema, req.body ?? {});
				const password = await accounts.revealPassword(id);
				res.set('Cache-Control', 'no-store').json({ data: { password } });
			}),
		);

		// The actions on an existing account: the same route shape around one service method each.
		const actions: [
			path: string,
			body: z.ZodType<{ reason?: string | null }>,
			act: (accounts: HostingAccountsService, id: string, body: { reason?: string | null }) => Promise<void>,
		][] = [
			['suspend', suspendRequestSchema, (accounts, id, body) => accounts.suspend(id, body.reason ?? null)],
			['unsuspend', emptyBodySchema, (accounts, id) => accounts.unsuspend(id)],
			['terminate', emptyBodySchema, (accounts, id) => accounts.terminate(id)],
			['cancel', emptyBodySchema, (accounts, id) => accounts.cancel(id)],
			['sync', emptyBodySchema, (accounts, id) => accounts.syncUsage(id)],
			// Drift fixes; none of them deletes anything on NextPanel.
			['mark-terminated', emptyBodySchema, (accounts, id) => accounts.markTerminated(id)],
			['reapply-status', emptyBodySchema, (accounts, id) => accounts.reapplyStatus(id)],
			['accept-remote-status', emptyBodySchema, (accounts, id) => accounts.acceptRemoteStatus(id)],
		];
		for (const [path, body, act] of actions) {
			router.post(
				`/accounts/:id/${path}`,
				route(async (req, res, { accounts }) => {
					const id = accountId(req);
					await act(accounts, id, parse(body, req.body ?? {}));
					res.json({ data: await accounts.readVisible(id) });
				}),
			);
		}
	},
});
