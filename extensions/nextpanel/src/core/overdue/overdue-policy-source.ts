// Where the overdue policy comes from: the nextpanel_settings singleton that administrators edit,
// or, in a project with no room for that collection (or before anyone saved it), the
// NEXTPANEL_OVERDUE_* environment variables and their defaults.
import type { SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { OVERDUE_POLICY_FIELDS, overduePolicySchema, type OverduePolicy } from '../../shared/overdue-policy.ts';
import type { NextPanelConfig } from '../config.ts';
import { NotConfiguredError } from '../errors.ts';
import { describeIssues } from '../../shared/api-schemas.ts';

export const SETTINGS_COLLECTION = 'nextpanel_settings';

export type PolicySource = 'settings' | 'environment' | 'no_settings_collection';

export function policyFromEnvironment(config: NextPanelConfig): OverduePolicy {
	return {
		overdue_suspend_after_days: config.NEXTPANEL_OVERDUE_SUSPEND_AFTER_DAYS,
		overdue_terminate_after_days: config.NEXTPANEL_OVERDUE_TERMINATE_AFTER_DAYS,
		overdue_reminder_days_before: config.NEXTPANEL_OVERDUE_REMINDER_DAYS_BEFORE,
		overdue_max_actions_per_run: config.NEXTPANEL_OVERDUE_MAX_ACTIONS_PER_RUN,
	};
}

/** The policy in force, and where it came from; a stored policy that breaks the rules is a 503 that says which. */
export async function readOverduePolicy(
	knex: Knex,
	schema: SchemaOverview,
	config: NextPanelConfig,
): Promise<{ policy: OverduePolicy; source: PolicySource }> {
	if (!schema.collections[SETTINGS_COLLECTION]) return { policy: policyFromEnvironment(config), source: 'no_settings_collection' };
	const row = await knex(SETTINGS_COLLECTION).select(OVERDUE_POLICY_FIELDS).first();
	if (!row) return { policy: policyFromEnvironment(config), source: 'environment' };
	const stored = Object.fromEntries(OVERDUE_POLICY_FIELDS.map((field) => [field, row[field] === null ? null : Number(row[field])]));
	const parsed = overduePolicySchema.safeParse(stored);
	if (!parsed.success) {
		throw new NotConfiguredError({
			reason: `The overdue policy in NextPanel settings is not valid (${describeIssues(parsed.error)}); no account is suspended or terminated until it is fixed.`,
		});
	}
	return { policy: parsed.data, source: 'settings' };
}
