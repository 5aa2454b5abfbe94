// `provision --csv customers.csv`: creates customers that do not exist yet and provisions hosting
// for each, through the same /nextpanel route the app uses. Rerunning skips what is done, so an
// interrupted import can simply be started again.
import { createItem, readItems } from '@directus/sdk';
import { SingleBar, Presets } from 'cli-progress';
import Table from 'cli-table3';
import { parse } from 'csv-parse/sync';
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { usernameProblem } from '../../extensions/nextpanel/src/shared/username.ts';
import { CliError, describe, type Directus } from './connection.ts';
import { mapLimited } from '../../extensions/nextpanel/src/shared/map-limited.ts';

const rowSchema = z.object({
	full_name: z.string().trim().min(1, 'full_name is empty'),
	email: z.email({ error: 'email is not a valid address' }),
	company: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null),
	phone: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null),
	username: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null)
		.superRefine((value, ctx) => {
			const problem = value ? usernameProblem(value) : null;
			if (problem) ctx.addIssue({ code: 'custom', message: `username "${value}" ${problem}` });
		}),
	server: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null),
	package: z
		.string()
		.trim()
		.optional()
		.transform((v, ctx) => {
			if (!v) return null;
			if (!/^\d+$/.test(v)) {
				ctx.addIssue({ code: 'custom', message: `package "${v}" is not a whole number` });
				return z.NEVER;
			}
			return Number(v);
		}),
});

export type Outcome = 'provisioned' | 'retried' | 'skipped' | 'would_provision' | 'failed' | 'invalid';

export interface RowReport {
	line: number;
	email: string;
	outcome: Outcome;
	customer: string | null;
	hosting_account: string | null;
	username: string | null;
	status: string | null;
	message: string;
}

export interface ProvisionOptions {
	csv: string;
	dryRun: boolean;
	concurrency: number;
	report?: string;
	passwordsOut?: string;
	progress: boolean;
}

interface Account {
	id: string;
	username: string;
	status: string;
}

export async function provisionFromCsv(directus: Directus, options: ProvisionOptions): Promise<RowReport[]> {
	let records: Record<string, string>[];
	try {
		records = parse(readFileSync(options.csv, 'utf8'), {
			columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
			skip_empty_lines: true,
			trim: true,
			bom: true,
		});
	} catch (error) {
		throw new CliError(`${options.csv} could not be read as CSV: ${describe(error)}`);
	}
	if (records.length === 0)
		throw new CliError(
			`${options.csv} has no rows (the first line must name the columns: full_name,email,company,phone,username,server,package)`,
		);

	const servers = await serverIndex(directus);
	const passwords: string[] = [];
	const bar = options.progress
		? new SingleBar(
				{ format: 'Provisioning |{bar}| {value}/{total} {outcome}', stream: process.stderr, hideCursor: true },
				Presets.shades_classic,
			)
		: null;
	bar?.start(records.length, 0, { outcome: '' });

	const reports = await mapLimited(records, options.concurrency, async (record, index) => {
		const report = await provisionRow(directus, record, index + 2, servers, options.dryRun, passwords);
		bar?.increment({ outcome: `${report.email}: ${report.outcome}` });
		return report;
	});
	bar?.stop();

	if (options.report)
		writeFileSync(
			options.report,
			JSON.stringify({ csv: options.csv, dry_run: options.dryRun, finished_at: new Date().toISOString(), rows: reports }, null, 2),
		);
	if (options.passwordsOut && passwords.length) writeFileSync(options.passwordsOut, `${passwords.join('\n')}\n`, { mode: 0o600 });
	return reports;
}

/** Servers by id and by name, so a CSV may name them either way. */
async function serverIndex(directus: Directus): Promise<Map<string, string>> {
	const servers = (await directus.client.request(readItems('nextpanel_servers', { fields: ['id', 'name'], limit: -1 }))) as {
		id: string;
		name: string;
	}[];
	const index = new Map<string, string>();
	for (const server of servers) {
		index.set(server.id, server.id);
		index.set(server.name.toLowerCase(), server.id);
	}
	return index;
}

async function provisionRow(
	directus: Directus,
	record: Record<string, string>,
	line: number,
	servers: Map<string, string>,
	dryRun: boolean,
	passwords: string[],
): Promise<RowReport> {
	const base = { line, email: record['email'] ?? '', customer: null, hosting_account: null, username: null, status: null };
	const parsed = rowSchema.safeParse(record);
	if (!parsed.success) return { ...base, outcome: 'invalid', message: parsed.error.issues.map((i) => i.message).join('; ') };
	const row = parsed.data;
	const server = row.server ? (servers.get(row.server) ?? servers.get(row.server.toLowerCase()) ?? null) : null;
	if (row.server && !server) return { ...base, outcome: 'invalid', message: `no NextPanel server with id or name "${row.server}"` };

	try {
		const [existing] = (await directus.client.request(
			readItems('customers', { filter: { email: { _eq: row.email } }, fields: ['id'], limit: 1 }),
		)) as { id: string }[];
		const accounts = existing
			? ((await directus.client.request(
					readItems('hosting_accounts', {
						filter: { customer: { _eq: existing.id }, status: { _neq: 'terminated' } },
						fields: ['id', 'username', 'status'],
						sort: ['-date_created'],
					}),
				)) as Account[])
			: [];
		const current = accounts[0];
		const found = {
			...base,
			customer: existing?.id ?? null,
			hosting_account: current?.id ?? null,
			username: current?.username ?? null,
			status: current?.status ?? null,
		};

		if (current && current.status !== 'failed') {
			return {
				...found,
				outcome: 'skipped',
				message: current.status === 'active' || current.status === 'suspended' ? 'already provisioned' : `already ${current.status}`,
			};
		}
		if (dryRun) {
			return {
				...found,
				outcome: 'would_provision',
				message: current
					? 'would retry the failed account'
					: existing
						? 'would provision the existing customer'
						: 'would create the customer and provision',
			};
		}

		const customerId =
			existing?.id ??
			(
				(await directus.client.request(
					createItem('customers', { full_name: row.full_name, email: row.email, company: row.company, phone: row.phone }),
				)) as { id: string }
			).id;
		if (current) {
			const retried = await directus.nextpanel<{ data: Account }>('POST', `/accounts/${current.id}/retry`, {});
			return {
				...found,
				customer: customerId,
				outcome: 'retried',
				status: retried.data.status,
				message: 'failed account provisioned on retry',
			};
		}
		const created = await directus.nextpanel<{ data: Account; generated_password?: string }>('POST', '/accounts', {
			customer: customerId,
			server,
			username: row.username,
			package: row.package,
		});
		if (created.generated_password) passwords.push(`${created.data.username}\t${row.email}\t${created.generated_password}`);
		return {
			...found,
			customer: customerId,
			hosting_account: created.data.id,
			username: created.data.username,
			status: created.data.status,
			outcome: 'provisioned',
			message: 'active',
		};
	} catch (error) {
		const accountId =
			(error as { errors?: { extensions?: { hosting_account?: string } }[] }).errors?.[0]?.extensions?.hosting_account ?? null;
		return { ...base, hosting_account: accountId, outcome: 'failed', message: describe(error) };
	}
}

export function printSummary(reports: RowReport[]): void {
	const counts = new Map<Outcome, number>();
	for (const report of reports) counts.set(report.outcome, (counts.get(report.outcome) ?? 0) + 1);
	const summary = new Table({ head: ['outcome', 'rows'] });
	for (const [outcome, count] of counts) summary.push([outcome, count]);
	console.log(summary.toString());
	const problems = reports.filter((r) => r.outcome === 'failed' || r.outcome === 'invalid');
	if (problems.length) {
		const table = new Table({ head: ['line', 'email', 'outcome', 'reason'], colWidths: [6, 30, 10, 70], wordWrap: true });
		for (const r of problems) table.push([r.line, r.email, r.outcome, r.message]);
		console.log(table.toString());
	}
}
