// What every entry point of the bundle shares: Directus's services and database, the validated
// configuration and the secret box. Built once per Directus process from the first extension
// context that asks, because endpoint, hooks and operations of a bundle share one module.
import { randomUUID } from 'node:crypto';
import type { BlockList } from 'node:net';
import type { ApiExtensionContext } from '@directus/types';
import { readConfig, type NextPanelConfig } from './config.ts';
import { SecretBox } from './secret-box.ts';
import { buildBlockList } from './url-guard.ts';

export interface Runtime {
	services: ApiExtensionContext['services'];
	database: ApiExtensionContext['database'];
	getSchema: ApiExtensionContext['getSchema'];
	logger: ApiExtensionContext['logger'];
	config: NextPanelConfig;
	secrets: SecretBox;
	denyList: BlockList;
	/** Identifies this Directus process in leases, so a crashed instance's leases are recognisable. */
	instanceId: string;
}

let runtime: Runtime | null = null;

export function useRuntime(context: ApiExtensionContext): Runtime {
	if (runtime && runtime.database === context.database) return runtime;
	const config = readConfig(context.env);
	runtime = {
		services: context.services,
		database: context.database,
		getSchema: context.getSchema,
		logger: context.logger,
		config,
		secrets: new SecretBox(config.NEXTPANEL_ENCRYPTION_KEY, config.NEXTPANEL_ENCRYPTION_KEY_PREVIOUS),
		denyList: buildBlockList(config.NEXTPANEL_URL_DENY_LIST),
		instanceId: randomUUID().slice(0, 8),
	};
	return runtime;
}

export function isPostgres(runtime: Pick<Runtime, 'database'>): boolean {
	const client = runtime.database.client.config.client;
	return client === 'pg' || client === 'postgres' || client === 'postgresql' || client === 'cockroachdb';
}
