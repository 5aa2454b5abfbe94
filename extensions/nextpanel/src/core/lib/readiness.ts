// Whether the plugin can work in this project right now, and if not, what an administrator has
// to set. Derived from the configuration and the schema every time it is asked, so there is no
// state to keep in step: the routes, the schedules, the app and the log all read the same answer.
import type { SchemaOverview } from '@directus/types';
import { NotConfiguredError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { customerMapping, type CustomerMapping } from './customers.ts';

export const PLUGIN_COLLECTIONS = ['nextpanel_servers', 'hosting_accounts', 'nextpanel_logs'] as const;

export function setupProblems(runtime: Runtime, schema: SchemaOverview): string[] {
	const problems = [...runtime.configProblems];
	const missing = PLUGIN_COLLECTIONS.filter((collection) => !schema.collections[collection]);
	if (missing.length) {
		problems.push(
			`the collections ${missing.join(', ')} are not installed; the plugin installs them when Directus starts (see the Directus log for why it could not).`,
		);
	}
	const mapping = customerMapping(runtime.config, schema);
	if ('problem' in mapping) problems.push(mapping.problem);
	return problems;
}

/** The customer mapping, or a 503 that says what to set. */
export function requireSetup(runtime: Runtime, schema: SchemaOverview): CustomerMapping {
	const problems = setupProblems(runtime, schema);
	if (problems.length) throw new NotConfiguredError({ reason: problems.join(' ') });
	return customerMapping(runtime.config, schema) as CustomerMapping;
}
