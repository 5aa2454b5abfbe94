// `suspend`, `unsuspend` and `sync` for one or many hosting accounts (ids, or every account of
// a customer), with a concurrency limit and a table of outcomes.
import { readItems } from '@directus/sdk';
import Table from 'cli-table3';
import { CliError, describe, type Directus } from './connection.ts';
import { ALLOWED_FROM } from '../../extensions/nextpanel/src/shared/account-states.ts';
import { mapLimited } from '../../extensions/nextpanel/src/shared/map-limited.ts';

export type LifecycleAction = 'suspend' | 'unsuspend' | 'sync';

export interface LifecycleOptions {
	accounts: string[];
	customer?: string;
	reason?: string;
	concurrency: number;
}

export interface LifecycleReport {
	account: string;
	username: string | null;
	ok: boolean;
	status: string | null;
	message: string;
}

export async function runLifecycle(directus: Directus, action: LifecycleAction, options: LifecycleOptions): Promise<LifecycleReport[]> {
	const ids = [...options.accounts];
	if (options.customer) {
		const rows = (await directus.client.request(
			readItems('hosting_accounts', {
				filter: { customer: { _eq: options.customer }, status: { _in: [...ALLOWED_FROM[action]] } },
				fields: ['id'],
				limit: -1,
			}),
		)) as { id: string }[];
		ids.push(...rows.map((r) => r.id));
	}
	if (ids.length === 0)
		throw new CliError(
			options.customer
				? `Customer ${options.customer} has no hosting account to ${action}.`
				: `Name the hosting accounts to ${action} (ids), or --customer <id>.`,
		);

	return mapLimited([...new Set(ids)], options.concurrency, async (id) => {
		try {
			const body = action === 'suspend' ? { reason: options.reason ?? null } : {};
			const { data } = await directus.nextpanel<{ data: { username: string; status: string; disk_used_mb?: number | null } }>(
				'POST',
				`/accounts/${id}/${action}`,
				body,
			);
			return {
				account: id,
				username: data.username,
				ok: true,
				status: data.status,
				message: action === 'sync' ? `disk ${data.disk_used_mb ?? '?'} MB` : data.status,
			};
		} catch (error) {
			return { account: id, username: null, ok: false, status: null, message: describe(error) };
		}
	});
}

export function printLifecycle(reports: LifecycleReport[]): void {
	const table = new Table({ head: ['account', 'username', 'result', 'detail'], colWidths: [38, 20, 8, 60], wordWrap: true });
	for (const r of reports) table.push([r.account, r.username ?? '', r.ok ? 'ok' : 'failed', r.message]);
	console.log(table.toString());
}
