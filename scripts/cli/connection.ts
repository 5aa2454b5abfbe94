// How the CLI reaches a Directus: a URL plus a static token, or an e-mail and password. Flags
// win over DIRECTUS_* variables, which win over this project's .env (handy next to `npm start`).
import { authentication, createDirectus, rest, staticToken, type RestClient } from '@directus/sdk';
import type { ProjectSchema } from '../lib/schema-types.ts';
import { join } from 'node:path';
import { readEnvFile } from '../lib/env-file.ts';
import { projectRoot } from '../lib/paths.ts';

export interface ConnectionOptions {
	url?: string;
	token?: string;
	email?: string;
	password?: string;
}

export class CliError extends Error {
	readonly exitCode: number;
	constructor(message: string, exitCode = 1) {
		super(message);
		this.exitCode = exitCode;
	}
}

export interface Directus {
	url: string;
	client: RestClient<ProjectSchema>;
	/** Calls a /nextpanel route and returns its JSON. */
	nextpanel<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
	close(): void;
}

export async function connect(options: ConnectionOptions): Promise<Directus> {
	const fromFile = readEnvFile(join(projectRoot, '.env'));
	const env = process.env;
	const url = (
		options.url ??
		env['DIRECTUS_URL'] ??
		env['PUBLIC_URL'] ??
		fromFile['PUBLIC_URL'] ??
		`http://127.0.0.1:${fromFile['PORT'] ?? '8055'}`
	).replace(/\/+$/, '');
	const token = options.token ?? env['DIRECTUS_TOKEN'];
	const email = options.email ?? env['DIRECTUS_EMAIL'] ?? fromFile['ADMIN_EMAIL'];
	const password = options.password ?? env['DIRECTUS_PASSWORD'] ?? fromFile['ADMIN_PASSWORD'];

	let client: RestClient<ProjectSchema>;
	let bearer: string;
	let stop = () => undefined as void;
	if (token) {
		client = createDirectus<ProjectSchema>(url).with(staticToken(token)).with(rest());
		bearer = token;
	} else if (email && password) {
		const auth = createDirectus<ProjectSchema>(url)
			.with(authentication('json', { autoRefresh: false }))
			.with(rest());
		try {
			await auth.login({ email, password });
		} catch (error) {
			throw new CliError(`Could not log in to ${url} as ${email}: ${describe(error)}`, 1);
		}
		client = auth;
		bearer = (await auth.getToken()) ?? '';
		stop = () => auth.stopRefreshing();
	} else {
		throw new CliError('Say how to reach Directus: --url with --token, or --email and --password (or DIRECTUS_URL / DIRECTUS_TOKEN).', 1);
	}

	return {
		url,
		client,
		// Plain fetch rather than the SDK's customEndpoint, which keeps only `data` of a response
		// and would drop fields such as `generated_password`.
		async nextpanel<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
			const response = await fetch(`${url}/nextpanel${path}`, {
				method,
				headers: { Authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const payload = (await response
				.json()
				.catch(() => ({ errors: [{ message: `Directus answered ${response.status} without JSON` }] }))) as T & { errors?: unknown };
			if (!response.ok) throw payload;
			return payload;
		},
		close: stop,
	};
}

/** The message of a Directus error response, or of anything else that was thrown. */
export function describe(error: unknown): string {
	const errors = (error as { errors?: { message?: string }[] } | null)?.errors;
	if (Array.isArray(errors) && errors[0]?.message) return errors.map((e) => e.message).join(' ');
	if (error instanceof Error) return error.message;
	return String(error);
}

export function errorCode(error: unknown): string | null {
	const errors = (error as { errors?: { extensions?: { code?: string } }[] } | null)?.errors;
	return errors?.[0]?.extensions?.code ?? null;
}
