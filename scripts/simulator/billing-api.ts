// The billing API of shared/nextpanel-api.md, answered the way FastAPI would: routing (404, 405,
// trailing-slash redirects), then JSON decoding of the body, then the auth dependency, then
// parameter and body validation, then the endpoint. That order is part of the contract: the
// client's permission probe relies on `{}` getting 403 before it could get 422.
import { publicAccount, type AccountStore, type StoredAccount } from './accounts.ts';
import type { KeyStore, Requirement } from './auth.ts';
import { containsNonFiniteNumber, decodeUtf8, NOT_UTF8, parsePythonJson } from './python-json.ts';
import { detailReply, emptyReply, INTERNAL_SERVER_ERROR, jsonReply, type Reply } from './responses.ts';
import { statsOf } from './usage.ts';
import {
	jsonInvalidIssue,
	parseAccountId,
	validateChangePassword,
	validateCreateAccount,
	validateSuspend,
	type PydanticIssue,
	type RequestBody,
	type Validated,
} from './validation.ts';

export interface BillingFeatures {
	/** `POST /api/v1/billing/accounts/{id}/password`: never seen on a real server, so off by default. */
	change_password: boolean;
}

export interface BillingContext {
	accounts: AccountStore;
	keys: KeyStore;
	version: string;
	features: BillingFeatures;
	now: () => number;
}

export interface BillingRequest {
	method: string;
	/** The URL path as sent (percent-encoded). */
	path: string;
	query: URLSearchParams;
	headers: Record<string, string | string[] | undefined>;
	ip: string;
	body: Buffer;
}

interface EndpointCall<T> {
	/** The `{account_id}` path parameter, for routes that have one. */
	accountId: number | null;
	input: T;
	query: URLSearchParams;
}

interface EndpointSpec<T> {
	method: string;
	pattern: RegExp;
	auth: Requirement | null;
	/** Routes with a body model: FastAPI decodes the body before auth and validates it after. */
	validateBody?: (body: RequestBody) => Validated<T>;
	enabled?: (features: BillingFeatures) => boolean;
	handle: (context: BillingContext, call: EndpointCall<T>) => Reply;
}

interface Endpoint {
	method: string;
	pattern: RegExp;
	auth: Requirement | null;
	hasBody: boolean;
	enabled: (features: BillingFeatures) => boolean;
	respond: (
		context: BillingContext,
		call: { pathIssues: PydanticIssue[]; accountId: number | null; body: RequestBody; query: URLSearchParams },
	) => Reply;
}

/** FastAPI's 422; it cannot encode NaN or Infinity echoed back as input, and fails with a 500. */
function validationError(issues: PydanticIssue[]): Reply {
	return containsNonFiniteNumber(issues.map((issue) => issue.input)) ? INTERNAL_SERVER_ERROR : jsonReply(422, { detail: issues });
}

function endpoint<T = undefined>(spec: EndpointSpec<T>): Endpoint {
	return {
		method: spec.method,
		pattern: spec.pattern,
		auth: spec.auth,
		hasBody: spec.validateBody !== undefined,
		enabled: spec.enabled ?? (() => true),
		respond: (context, { pathIssues, accountId, body, query }) => {
			const checked: Validated<T> = spec.validateBody ? spec.validateBody(body) : { ok: true, value: undefined as T };
			// Path errors come first, then the body's, as FastAPI lists them.
			const issues = [...pathIssues, ...(checked.ok ? [] : checked.issues)];
			if (issues.length || !checked.ok) return validationError(issues);
			return spec.handle(context, { accountId, input: checked.value, query });
		},
	};
}

const ACCOUNTS = /^\/api\/v1\/billing\/accounts$/;
const ACCOUNT = /^\/api\/v1\/billing\/accounts\/([^/]+)$/;
const accountAction = (action: string) => new RegExp(`^/api/v1/billing/accounts/([^/]+)/${action}$`);

const ACCOUNT_NOT_FOUND = detailReply(404, 'Account not found');

/** Runs `then` with the live account, or answers 404. */
function withAccount<T>(context: BillingContext, call: EndpointCall<T>, then: (account: StoredAccount) => Reply): Reply {
	const account = call.accountId === null ? undefined : context.accounts.get(call.accountId);
	return account ? then(account) : ACCOUNT_NOT_FOUND;
}

// In the order NextPanel's app declares them, which decides which route a 405 names.
const ENDPOINTS: Endpoint[] = [
	endpoint({
		method: 'GET',
		pattern: /^\/api\/health$/,
		auth: null,
		handle: (context) => jsonReply(200, { status: 'healthy', database: 'connected', version: context.version }),
	}),
	endpoint({
		method: 'GET',
		pattern: ACCOUNTS,
		auth: 'any_key',
		handle: (context, call) => {
			const username = call.query.get('username');
			const billingId = call.query.get('billing_id');
			// A username names at most one live account: look it up rather than scan them all.
			const byUsername = username === null ? null : context.accounts.byUsername(username);
			const candidates = byUsername === null ? context.accounts.live() : byUsername ? [byUsername] : [];
			const accounts = billingId === null ? candidates : candidates.filter((account) => account.billing_id === billingId);
			return jsonReply(200, accounts.map(publicAccount));
		},
	}),
	endpoint({
		method: 'POST',
		pattern: ACCOUNTS,
		auth: 'super_admin',
		validateBody: validateCreateAccount,
		handle: (context, { input }) => {
			if (context.accounts.usernameTaken(input.username)) return detailReply(400, 'Username already exists');
			// Python would take it and then fail to store or serialise it; nothing is kept.
			if (containsNonFiniteNumber(input.metadata)) return INTERNAL_SERVER_ERROR;
			return jsonReply(201, publicAccount(context.accounts.create(input)));
		},
	}),
	endpoint({
		method: 'GET',
		pattern: ACCOUNT,
		auth: 'any_key',
		handle: (context, call) => withAccount(context, call, (account) => jsonReply(200, publicAccount(account))),
	}),
	endpoint({
		method: 'DELETE',
		pattern: ACCOUNT,
		auth: 'super_admin',
		handle: (context, call) =>
			withAccount(context, call, (account) => {
				context.accounts.delete(account);
				return jsonReply(200, { message: 'Account deleted successfully' });
			}),
	}),
	endpoint({
		method: 'POST',
		pattern: accountAction('suspend'),
		auth: 'super_admin',
		validateBody: validateSuspend,
		handle: (context, call) =>
			withAccount(context, call, (account) => {
				if (account.status === 'suspended') return detailReply(400, 'Account is already suspended');
				return jsonReply(200, publicAccount(context.accounts.suspend(account, call.input.reason)));
			}),
	}),
	endpoint({
		method: 'POST',
		pattern: accountAction('unsuspend'),
		auth: 'super_admin',
		handle: (context, call) =>
			withAccount(context, call, (account) => {
				if (account.status !== 'suspended') return detailReply(400, 'Account is not suspended');
				return jsonReply(200, publicAccount(context.accounts.unsuspend(account)));
			}),
	}),
	endpoint({
		method: 'GET',
		pattern: accountAction('stats'),
		auth: 'any_key',
		handle: (context, call) => withAccount(context, call, (account) => jsonReply(200, statsOf(account, context.now()))),
	}),
	endpoint({
		method: 'POST',
		pattern: accountAction('password'),
		auth: 'super_admin',
		validateBody: validateChangePassword,
		enabled: (features) => features.change_password,
		handle: (context, call) =>
			withAccount(context, call, (account) => {
				context.accounts.changePassword(account, call.input.password);
				return jsonReply(200, { message: 'Password changed successfully' });
			}),
	}),
];

const allowsMethod = (endpoint: Endpoint, method: string) => endpoint.method === method || (endpoint.method === 'GET' && method === 'HEAD');

function decodePath(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

function header(request: BillingRequest, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** FastAPI reads JSON when the content type says JSON or says nothing; other bodies stay raw. */
function isJsonContentType(contentType: string | undefined): boolean {
	if (!contentType) return true;
	const [type = ''] = contentType.toLowerCase().split(';');
	const [main, subtype = ''] = type.trim().split('/');
	return main === 'application' && (subtype === 'json' || subtype.endsWith('+json'));
}

type DecodedBody = { ok: true; body: RequestBody } | { ok: false; reply: Reply };

function decodeBody(request: BillingRequest): DecodedBody {
	if (request.body.length === 0) return { ok: true, body: { present: false } };
	const text = decodeUtf8(request.body);
	if (!isJsonContentType(header(request, 'content-type')))
		return { ok: true, body: { present: true, value: text === NOT_UTF8 ? request.body.toString('latin1') : text } };
	if (text === NOT_UTF8) return { ok: false, reply: detailReply(400, 'There was an error parsing the body') };
	const parsed = parsePythonJson(text);
	if (!parsed.ok) return { ok: false, reply: jsonReply(422, { detail: [jsonInvalidIssue(parsed.message, parsed.position)] }) };
	return { ok: true, body: { present: true, value: parsed.value } };
}

function route(
	context: BillingContext,
	request: BillingRequest,
	path: string,
): { endpoint: Endpoint; params: string[] } | { reply: Reply } | null {
	let partial: Endpoint | null = null;
	for (const endpoint of ENDPOINTS) {
		if (!endpoint.enabled(context.features)) continue;
		const match = endpoint.pattern.exec(path);
		if (!match) continue;
		if (allowsMethod(endpoint, request.method)) return { endpoint, params: match.slice(1) };
		partial ??= endpoint;
	}
	if (partial) {
		const allow = partial.method === 'GET' ? 'GET, HEAD' : partial.method;
		return { reply: detailReply(405, 'Method Not Allowed', { allow }) };
	}
	return null;
}

/** Starlette's redirect_slashes: a path that matches once a trailing slash is added or removed. */
function slashRedirect(context: BillingContext, request: BillingRequest, path: string): Reply | null {
	if (path === '/') return null;
	const other = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
	const exists = ENDPOINTS.some((endpoint) => endpoint.enabled(context.features) && endpoint.pattern.test(other));
	if (!exists) return null;
	const query = request.query.toString();
	const host = header(request, 'host') ?? 'localhost';
	return emptyReply(307, { location: `http://${host}${encodeURI(other)}${query ? `?${query}` : ''}` });
}

/** One billing API request, start to finish; side effects (creating, suspending...) happen here. */
export function handleBillingRequest(context: BillingContext, request: BillingRequest): Reply {
	const path = decodePath(request.path);
	const routed = route(context, request, path);
	if (!routed) return slashRedirect(context, request, path) ?? detailReply(404, 'Not Found');
	if ('reply' in routed) return routed.reply;
	const { endpoint, params } = routed;

	let body: RequestBody = { present: false };
	if (endpoint.hasBody) {
		const decoded = decodeBody(request);
		if (!decoded.ok) return decoded.reply;
		body = decoded.body;
	}

	if (endpoint.auth) {
		const auth = context.keys.authenticate(
			header(request, 'x-api-key'),
			header(request, 'x-api-secret'),
			request.ip,
			endpoint.auth,
			context.now(),
		);
		if (!auth.ok) return detailReply(auth.status, auth.detail);
	}

	let accountId: number | null = null;
	const pathIssues: PydanticIssue[] = [];
	if (params[0] !== undefined) {
		const parsed = parseAccountId(params[0]);
		if (parsed.ok) accountId = parsed.value;
		else pathIssues.push(...parsed.issues);
	}
	return endpoint.respond(context, { pathIssues, accountId, body, query: request.query });
}
