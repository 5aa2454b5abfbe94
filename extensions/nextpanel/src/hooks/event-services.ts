// What a Directus filter or action hands a hook, turned into one of the plugin's services with the
// event's transaction and the caller's accountability, so a hook file only says which rule an
// event goes to.
import type { Accountability, ApiExtensionContext, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import type { ServiceOptions } from '../core/access.ts';
import type { Runtime } from '../core/runtime.ts';

interface HookEvent {
	database: Knex;
	schema: SchemaOverview | null;
	accountability: Accountability | null;
}

/**
 * A factory for `Service` per event. Pass `accountability` to act as someone other than the
 * caller (`null` is the system), and `knex` to work outside the event's transaction.
 */
export function servicesForEvents<S>(
	Service: new (options: ServiceOptions) => S,
	runtime: Runtime,
	context: Pick<ApiExtensionContext, 'getSchema'>,
) {
	return async (event: unknown, overrides: Partial<Pick<ServiceOptions, 'accountability' | 'knex'>> = {}): Promise<S> => {
		const { database, schema, accountability } = event as HookEvent;
		return new Service({
			runtime,
			schema: schema ?? (await context.getSchema()),
			accountability: 'accountability' in overrides ? (overrides.accountability ?? null) : accountability,
			knex: overrides.knex ?? database,
		});
	};
}

/** The primary keys of an update's `meta`, or of a delete's payload, as strings. */
export function keysOf(metaOrKeys: unknown): string[] {
	const keys = Array.isArray(metaOrKeys) ? metaOrKeys : (metaOrKeys as { keys?: unknown[] }).keys;
	return (keys ?? []).map(String);
}

/** The person a hook event is on behalf of, if any. */
export function personOf(event: unknown): string | null {
	return (event as HookEvent).accountability?.user ?? null;
}
