// An edit of the nextpanel_settings singleton is checked whole, as it would be stored: whole days
// of 0 or more, and termination after suspension. A bad value is a 400 that says why, and nothing
// is saved.
import type { Knex } from 'knex';
import { describeIssues } from '../../shared/api-schemas.ts';
import { DEFAULT_OVERDUE_POLICY, OVERDUE_POLICY_FIELDS, overduePolicySchema } from '../../shared/overdue-policy.ts';
import { InvalidPayloadError } from '../errors.ts';
import { SETTINGS_COLLECTION } from './overdue-policy-source.ts';

export async function checkPolicyWrite(knex: Knex, payload: Record<string, unknown>): Promise<void> {
	const touched = OVERDUE_POLICY_FIELDS.filter((field) => field in payload);
	if (!touched.length) return;
	const current = (await knex(SETTINGS_COLLECTION).select(OVERDUE_POLICY_FIELDS).first()) ?? DEFAULT_OVERDUE_POLICY;
	const merged: Record<string, unknown> = {};
	for (const field of OVERDUE_POLICY_FIELDS) {
		const value = field in payload ? payload[field] : current[field];
		// The app sends numbers as numbers; a form or a Flow may send "5".
		merged[field] = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value === undefined ? null : value;
	}
	const result = overduePolicySchema.safeParse(merged);
	if (!result.success) throw new InvalidPayloadError({ reason: `NextPanel settings: ${describeIssues(result.error)}` });
}
