// The /nextpanel REST routes. Each one needs a logged-in user, validates its input before any
// NextPanel call, checks Directus permissions as the caller, and then runs the shared core.
import { defineEndpoint } from '@directus/extensions-sdk';
import type { Accountability, SchemaOverview } from '@directus/types';
import type { NextFunction, Request, Response, Router } from 'express';
import type { z } from 'zod';
import { readAsCaller, requireAccountAccess, requireUpdateAccess } from '../core/access.ts';
import { checkAllServers, retryDueProvisioning, syncAllUsage, type JobReport } from '../core/jobs.ts';
import { AuthenticationRequiredError, ForbiddenError, InvalidPayloadError, StateConflictError, upstreamError } from '../core/errors.ts';
import { readAccount } from '../core/provisioning/account-store.ts';
import { suspendAccount, syncUsage, terminateAccount, unsuspendAccount } from '../core/provisioning/lifecycle.ts';
import { provisionAccount, type ProvisionResult } from '../core/provisioning/provision-account.ts';
import { requestProvisioning } from '../core/provisioning/request-provisioning.ts';
import { useRuntime, type Runtime } from '../core/runtime.ts';
import { serverUsage } from '../core/capacity.ts';
import { recordServerCheck, testCredentials, testSavedServer } from '../core/server-checks.ts';
import {
	credentialsSchema,
	describeIssues,
	emptyBodySchema,
	idParamSchema,
	provisionRequestSchema,
	serverTestEditsSchema,
	suspendRequestSchema,
} from '../shared/api-schemas.ts';

const JOBS: Record<string, (runtime: Runtime) => Promise<JobReport>> = {
	retry: retryDueProvisioning,
	usage: syncAllUsage,
	health: checkAllServers,
};

interface Caller {
	accountability: Accountability;
	user: string;
	schema: SchemaOverview;
}

type DirectusRequest = Request & { accountability?: Accountability | null; schema: SchemaOverview };
type Handler = (req: DirectusRequest, res: Response, caller: Caller, runtime: Runtime) => Promise<void>;

export default defineEndpoint({
	id: 'nextpanel',
	handler: (router: Router, context) => {
		const route = (handler: Handler) => async (req: Request, res: Response, next: NextFunction) => {
			try {
				const request = req as DirectusRequest;
				const accountability = request.accountability;
				if (!accountability?.user) throw new AuthenticationRequiredError();
				const runtime = useRuntime(context);
				checkBodySize(request, runtime.config.NEXTPANEL_MAX_BODY_BYTES);
				await handler(request, res, { accountability, user: accountability.user, schema: request.schema }, runtime);
			} catch (error) {
				next(error);
			}
		};

		router.post(
			'/servers/test',
			route(async (req, res, caller, runtime) => {
				const credentials = parse(credentialsSchema, req.body);
				await requireUpdateAccess(
					runtime,
					caller.schema,
					caller.accountability,
					'nextpanel_servers',
					null,
					'test NextPanel server credentials',
				);
				res.json(await testCredentials(runtime, credentials, caller.user));
			}),
		);

		router.post(
			'/servers/:id/test',
			route(async (req, res, caller, runtime) => {
				const id = parse(idParamSchema, req.params['id'], 'id');
				const edits = parse(serverTestEditsSchema, req.body ?? {});
				await readAsCaller(runtime, caller.schema, caller.accountability, 'nextpanel_servers', id, ['id']);
				const unsaved = Object.keys(edits).length > 0;
				res.json(
					unsaved ? await testSavedServer(runtime, id, caller.user, edits) : await recordServerCheck(runtime, id, caller.accountability),
				);
			}),
		);

		router.get(
			'/servers/capacity',
			route(async (_req, res, caller, runtime) => {
				const servers = new runtime.services.ItemsService('nextpanel_servers', {
					schema: caller.schema,
					accountability: caller.accountability,
					knex: runtime.database,
				});
				const readable = (await servers.readByQuery({ fields: ['id'], limit: -1 })) as { id: string }[];
				const usage = await serverUsage(runtime.database, { ids: readable.map((s) => s.id) });
				res.json({
					data: usage.map((s) => ({
						id: s.id,
						name: s.name,
						status: s.status,
						capacity: s.capacity,
						active_accounts: s.used,
						free_slots: s.free,
						full: s.free <= 0,
					})),
				});
			}),
		);

		// Runs a scheduled job now: for operators ("sync everything now") and for tests.
		router.post(
			'/jobs/:job',
			route(async (req, res, caller, runtime) => {
				if (!caller.accountability.admin) throw new ForbiddenError({ reason: 'Only administrators can run NextPanel jobs on demand.' });
				const job = JOBS[req.params['job'] ?? ''];
				if (!job)
					throw new InvalidPayloadError({ reason: `job: unknown job "${req.params['job']}"; use one of ${Object.keys(JOBS).join(', ')}` });
				res.json({ data: await job(runtime) });
			}),
		);

		router.post(
			'/accounts',
			route(async (req, res, caller, runtime) => {
				const body = parse(provisionRequestSchema, req.body);
				const response = await requestProvisioning(runtime, caller.schema, caller.accountability, body);
				const account = await accountAsCaller(runtime, caller, response.account.id);
				respondToProvisioning(res, response.result, account, response.generatedPassword, 201);
			}),
		);

		router.post(
			'/accounts/:id/retry',
			route(async (req, res, caller, runtime) => {
				const id = await accountForAction(req, caller, runtime, 'retry provisioning of');
				parse(emptyBodySchema, req.body ?? {});
				const result = await provisionAccount(runtime, id, { causedBy: caller.accountability, retry: true });
				if (result.outcome === 'not_claimed') {
					const account = await readAccount(runtime.database, id);
					throw new StateConflictError({
						reason:
							result.reason === 'busy'
								? `Hosting account "${account?.username}" is being provisioned right now.`
								: `Hosting account "${account?.username}" is ${account?.status}; only failed or pending accounts can be retried.`,
					});
				}
				respondToProvisioning(res, result, await accountAsCaller(runtime, caller, id), null, 200);
			}),
		);

		// Suspend, unsuspend, terminate and sync: the same route shape around one core call each.
		const actions: {
			path: string;
			doing: string;
			body: z.ZodType<{ reason?: string | null }>;
			act: (runtime: Runtime, id: string, body: { reason?: string | null }, caller: Caller) => Promise<unknown>;
		}[] = [
			{
				path: 'suspend',
				doing: 'suspend',
				body: suspendRequestSchema,
				act: (runtime, id, body, caller) => suspendAccount(runtime, id, body.reason ?? null, caller.accountability),
			},
			{
				path: 'unsuspend',
				doing: 'unsuspend',
				body: emptyBodySchema,
				act: (runtime, id, _body, caller) => unsuspendAccount(runtime, id, caller.accountability),
			},
			{
				path: 'terminate',
				doing: 'terminate',
				body: emptyBodySchema,
				act: (runtime, id, _body, caller) => terminateAccount(runtime, id, caller.accountability),
			},
			{
				path: 'sync',
				doing: 'sync usage of',
				body: emptyBodySchema,
				act: (runtime, id, _body, caller) => syncUsage(runtime, id, caller.accountability),
			},
		];
		for (const action of actions) {
			router.post(
				`/accounts/:id/${action.path}`,
				route(async (req, res, caller, runtime) => {
					const id = await accountForAction(req, caller, runtime, action.doing);
					const body = parse(action.body, req.body ?? {});
					await action.act(runtime, id, body, caller);
					res.json({ data: await accountAsCaller(runtime, caller, id) });
				}),
			);
		}
	},
});

function parse<T extends z.ZodType>(schema: T, value: unknown, label?: string): z.infer<T> {
	const result = schema.safeParse(value ?? (label ? undefined : {}));
	if (!result.success)
		throw new InvalidPayloadError({ reason: label ? `${label}: ${describeIssues(result.error)}` : describeIssues(result.error) });
	return result.data;
}

function checkBodySize(req: DirectusRequest, limit: number): void {
	const declared = Number(req.headers['content-length'] ?? 0);
	const size = Math.max(declared, req.body ? Buffer.byteLength(JSON.stringify(req.body)) : 0);
	if (size > limit)
		throw new InvalidPayloadError({ reason: `The request body is ${size} bytes; these routes accept at most ${limit} bytes.` });
}

/** The account id from the path, after checking the caller may read and update that account. */
async function accountForAction(req: DirectusRequest, caller: Caller, runtime: Runtime, doing: string): Promise<string> {
	const id = parse(idParamSchema, req.params['id'], 'id');
	await requireAccountAccess(runtime, caller.schema, caller.accountability, id, doing);
	return id;
}

async function accountAsCaller(runtime: Runtime, caller: Caller, id: string): Promise<Record<string, unknown>> {
	try {
		return await readAsCaller(runtime, caller.schema, caller.accountability, 'hosting_accounts', id, ['*']);
	} catch {
		// Allowed to create but not to read: the id and state are still theirs to know.
		const account = await readAccount(runtime.database, id);
		return { id, status: account?.status ?? null };
	}
}

function respondToProvisioning(
	res: Response,
	result: ProvisionResult,
	account: Record<string, unknown>,
	generatedPassword: string | null,
	successStatus: number,
): void {
	switch (result.outcome) {
		case 'active':
			res.status(successStatus).json({ data: account, ...(generatedPassword ? { generated_password: generatedPassword } : {}) });
			return;
		case 'failed':
			if (result.failure) throw upstreamError(result.failure, String(account['id']), result.reason);
			throw new StateConflictError({ reason: result.reason });
		case 'retry_scheduled':
			throw upstreamError(result.failure, String(account['id']), result.reason);
		case 'not_claimed':
			// Another run (the schedule, another instance) got there first; it reports the outcome.
			res.status(202).json({ data: account });
			return;
	}
}
