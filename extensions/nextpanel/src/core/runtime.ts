// What every entry point of the bundle shares: Directus's services and database,
// the validated configuration and the secret box. Built once per Directus process from the first
// extension context that asks (endpoint, hooks and operations of a bundle share one module), and
// never changed afterwards: it is configuration, not a channel between the parts.
import { randomUUID } from 'node:crypto';
import type { BlockList } from 'node:net';
import type { ApiExtensionContext } from '@directus/types';
import { DEFAULT_URL_DENY_LIST, readConfig, type NextPanelConfig } from './config.ts';
import { NotConfiguredError } from './errors.ts';
import { SecretBox, SecretBoxError } from './secret-box.ts';
import { buildBlockList } from './lib/url-guard.ts';

export interface Runtime {
	services: ApiExtensionContext['services'];
	database: ApiExtensionContext['database'];
	getSchema: ApiExtensionContext['getSchema'];
	logger: ApiExtensionContext['logger'];
	config: NextPanelConfig;
	/** Configuration problems, each saying what to set; empty when all is well. */
	configProblems: readonly string[];
	denyList: BlockList;
	/** Whether Directus purges its data cache after a write to hosting_accounts (CACHE_AUTO_PURGE). */
	purgesDataCache: boolean;
	/** Identifies this Directus process in leases, so a crashed instance's leases are recognisable. */
	instanceId: string;
	/** The secret box, or a 503 that says how to configure it. */
	secrets(): SecretBox;
}

let runtime: Runtime | null = null;

function openSecretBox(config: NextPanelConfig, problems: string[]): SecretBox | null {
	if (!config.NEXTPANEL_ENCRYPTION_KEY) return null;
	try {
		return new SecretBox(config.NEXTPANEL_ENCRYPTION_KEY, config.NEXTPANEL_ENCRYPTION_KEY_PREVIOUS);
	} catch (error) {
		if (!(error instanceof SecretBoxError)) throw error;
		problems.push(error.message);
		return null;
	}
}

function denyListOf(config: NextPanelConfig, problems: string[]): BlockList {
	try {
		return buildBlockList(config.NEXTPANEL_URL_DENY_LIST);
	} catch (error) {
		problems.push(`${error instanceof Error ? error.message : String(error)}; the default list is used until it is fixed.`);
		return buildBlockList(DEFAULT_URL_DENY_LIST);
	}
}

function purgesDataCache(env: Record<string, unknown>): boolean {
	const on = (value: unknown) => value === true || value === 'true';
	const ignored = env['CACHE_AUTO_PURGE_IGNORE_LIST'];
	const ignoreList = Array.isArray(ignored) ? ignored.map(String) : String(ignored ?? '').split(',');
	return on(env['CACHE_ENABLED']) && on(env['CACHE_AUTO_PURGE']) && !ignoreList.includes('hosting_accounts');
}

export function useRuntime(context: ApiExtensionContext): Runtime {
	if (runtime && runtime.database === context.database) return runtime;
	const { config, problems } = readConfig(context.env);
	const box = openSecretBox(config, problems);
	const denyList = denyListOf(config, problems);
	for (const problem of problems) context.logger.error(`nextpanel: ${problem}`);
	runtime = {
		services: context.services,
		database: context.database,
		getSchema: context.getSchema,
		logger: context.logger,
		config,
		configProblems: problems,
		denyList,
		purgesDataCache: purgesDataCache(context.env),
		instanceId: randomUUID().slice(0, 8),
		secrets: () => {
			if (!box) throw new NotConfiguredError({ reason: problems.join(' ') });
			return box;
		},
	};
	return runtime;
}

export function isPostgres(knex: Pick<Runtime, 'database'>['database']): boolean {
	const client = knex.client.config.client;
	return client === 'pg' || client === 'postgres' || client === 'postgresql' || client === 'cockroachdb';
}
