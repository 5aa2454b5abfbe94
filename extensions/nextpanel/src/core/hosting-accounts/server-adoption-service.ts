// Adopting and comparing what a NextPanel server already has: the import of its accounts (a dry
// run, or the apply, decided by the same plan) and the drift report. Reads NextPanel and never
// writes to it. Built like Directus's services, with the caller's accountability.
import { isDirectusError } from '@directus/errors';
import type { Knex } from 'knex';
import type { ImportRequest } from '../../shared/api-schemas.ts';
import type { ImportReport, ImportRow } from '../../shared/wire/import.ts';
import { readAsCaller, requireCollectionAccess, requireUpdateAccess, type ServiceOptions } from '../access.ts';
import { upstreamError } from '../errors.ts';
import { planImport, type ImportPlan, type PlannedRow } from '../lib/account-import.ts';
import { normalizeAccountRow } from '../lib/account-rows.ts';
import type { CustomerMapping } from '../lib/customers.ts';
import { compareAccounts, driftKey, type DriftRow, type LocalAccount } from '../lib/drift.ts';
import { escapeMarkdown } from '../lib/markdown.ts';
import { administrators, notify } from '../lib/notifications.ts';
import type { NextPanelAccount } from '../nextpanel/contract.ts';
import { NextPanelFailure } from '../nextpanel/failure.ts';
import type { ServerWithSecret } from '../nextpanel-servers-service.ts';
import { isPostgres } from '../runtime.ts';
import { AccountContext } from './account-context.ts';

export type StoredDrift = { rows: DriftRow[] } | { error: string };

interface DriftNotice {
	serverId: string;
	serverName: string;
	/** The keys of the rows reported before, so only new drift is announced. */
	before: Set<string>;
	rows: DriftRow[];
}

export class ServerAdoptionService {
	readonly #context: AccountContext;

	constructor(options: ServiceOptions) {
		this.#context = new AccountContext(options);
	}

	async #remoteAccounts(serverId: string): Promise<{ server: ServerWithSecret; remote: NextPanelAccount[] }> {
		const server = await this.#context.servers.requireWithSecret(serverId);
		try {
			return { server, remote: await this.#context.servers.clientFor({ server }).listAccounts() };
		} catch (error) {
			if (error instanceof NextPanelFailure) throw upstreamError(error);
			throw error;
		}
	}

	/**
	 * Imports the accounts a NextPanel server already has and Directus does not, as hosting
	 * accounts with NextPanel's status, created as the caller (so revisions and activity name
	 * them). Reads NextPanel once and never writes to it. A dry run writes nothing at all; the
	 * apply is the dry run's plan, made again inside the transaction that carries it out.
	 */
	async importFromServer(serverId: string, request: ImportRequest): Promise<ImportReport> {
		const context = this.#context;
		const mapping = context.customers();
		await readAsCaller(context.access, 'nextpanel_servers', serverId, ['id']);
		await requireCollectionAccess(context.access, 'hosting_accounts', 'create', 'import hosting accounts');
		if (request.create_customers)
			await requireCollectionAccess(context.access, mapping.collection, 'create', 'create customers while importing');
		const { server, remote } = await this.#remoteAccounts(serverId);
		const inputs = {
			remote,
			createCustomers: request.create_customers,
			only: request.only,
			capacity: server.capacity,
			serverName: server.name,
		};
		if (request.dry_run) return importReport({ plan: await planImport({ knex: context.knex, mapping, serverId, inputs }), dryRun: true });
		// One transaction per import, behind the server's row lock: customers and accounts land
		// together or not at all, and a concurrent import of the same server plans after this one
		// has committed, so it finds these accounts linked instead of creating their customers again.
		const plan = await context.knex.transaction(async (trx) => {
			await lockServer(trx, serverId);
			const planned = await planImport({ knex: trx, mapping, serverId, inputs });
			await this.#carryOut(trx, {
				plan: planned,
				mapping,
				server,
				remote: new Map(remote.map((account) => [account.id, account])),
				term: { paid_until: request.paid_until, overdue_exempt: request.overdue_exempt },
			});
			return planned;
		});
		return importReport({ plan, dryRun: false });
	}

	async #carryOut(
		trx: Knex.Transaction,
		{
			plan,
			mapping,
			server,
			remote,
			term,
		}: {
			plan: ImportPlan;
			mapping: CustomerMapping;
			server: ServerWithSecret;
			remote: Map<number, NextPanelAccount>;
			term: { paid_until: string | null; overdue_exempt: boolean };
		},
	): Promise<void> {
		const importing = plan.rows.filter((row) => row.action === 'import');
		// One new customer per e-mail, however many accounts share it.
		const newCustomers = new Map<string, PlannedRow[]>();
		for (const row of importing.filter((r) => r.match === 'new_customer')) {
			const key = row.email!.toLowerCase();
			newCustomers.set(key, [...(newCustomers.get(key) ?? []), row]);
		}
		const customers = this.#context.itemsAsCaller(mapping.collection, trx);
		for (const batch of chunked([...newCustomers.values()], 500)) {
			const ids = await customers.createMany(
				batch.map((rows) => ({ [mapping.nameField]: rows[0]!.customer_name, [mapping.emailField]: rows[0]!.email })),
			);
			batch.forEach((rows, index) => rows.forEach((row) => (row.customer = String(ids[index]))));
		}
		const accounts = this.#context.itemsAsCaller('hosting_accounts', trx);
		for (const batch of chunked(importing, 500)) {
			const rows = batch.map((row) => {
				const account = remote.get(row.remote_id)!;
				return {
					customer: row.customer,
					server: server.id,
					username: account.username,
					package: account.package_id ?? null,
					status: account.status,
					nextpanel_account_id: account.id,
					remote_billing_id: account.billing_id ?? null,
					provisioned_at: row.provisioned_at,
					attempts: 0,
					create_attempted: false,
					welcome_mail: 'skipped',
					revealable: false,
					password_generated: false,
					...term,
				};
			});
			// The service's own write of state fields: held-back events keep the item API's guards out of it.
			const ids = await accounts.createMany(rows, { emitEvents: false });
			batch.forEach((row, index) => (row.hosting_account = String(ids[index])));
		}
	}

	/** The differences between Directus and NextPanel for one server; writes nothing anywhere. */
	async driftOf(serverId: string): Promise<DriftRow[]> {
		const context = this.#context;
		context.customers();
		await readAsCaller(context.access, 'nextpanel_servers', serverId, ['id']);
		await requireCollectionAccess(context.access, 'hosting_accounts', 'read', 'compare hosting accounts with NextPanel');
		const { remote } = await this.#remoteAccounts(serverId);
		return compareAccounts(await this.#localAccounts(serverId), remote);
	}

	/**
	 * Compares now and keeps the result on the server, as the scheduled check does ("Check now"
	 * in the app), so the server's drift count is current. Keeping it is a write on the server,
	 * so it needs update access there; reading drift alone is `driftOf`.
	 */
	async recordDriftOf(serverId: string): Promise<{ rows: DriftRow[]; checked_at: string }> {
		await requireUpdateAccess(this.#context.access, 'nextpanel_servers', serverId, 'keep a drift report on this NextPanel server');
		const rows = await this.driftOf(serverId);
		const checkedAt = new Date().toISOString();
		const previous = await this.#context.knex('nextpanel_servers').select('name', 'drift_report').where({ id: serverId }).first();
		await this.storeDrift(serverId, checkedAt, { rows });
		await this.notifyNewDrift({
			serverId,
			serverName: String(previous?.name ?? serverId),
			before: previousDriftKeys(previous?.drift_report),
			rows,
		});
		return { rows, checked_at: checkedAt };
	}

	/** The drift of one server as the system sees it (the scheduled check): the rows, or why NextPanel could not be read. */
	async compareServer(serverId: string): Promise<StoredDrift> {
		try {
			const { remote } = await this.#remoteAccounts(serverId);
			return { rows: compareAccounts(await this.#localAccounts(serverId), remote) };
		} catch (error) {
			if (!isDirectusError(error)) throw error;
			return { error: error.message };
		}
	}

	async storeDrift(serverId: string, checkedAt: string, report: StoredDrift): Promise<void> {
		const { runtime, schema, knex } = this.#context;
		const sudoServers = new runtime.services.ItemsService('nextpanel_servers', { schema, knex, accountability: null });
		await sudoServers.updateOne(
			serverId,
			{ drift_checked_at: checkedAt, drift_count: 'rows' in report ? report.rows.length : null, drift_report: report },
			{ emitEvents: false },
		);
	}

	async #localAccounts(serverId: string): Promise<LocalAccount[]> {
		const rows: Record<string, unknown>[] = await this.#context
			.knex('hosting_accounts')
			.select('id', 'username', 'status', 'nextpanel_account_id', 'remote_billing_id', 'create_attempted', 'customer')
			.where({ server: serverId });
		return rows.map((row) => {
			const account = normalizeAccountRow(row);
			return {
				id: account.id,
				username: account.username,
				status: account.status,
				nextpanel_account_id: account.nextpanel_account_id,
				remote_billing_id: account.remote_billing_id,
				create_attempted: account.create_attempted,
				customer: row['customer'] === null ? null : account.customer,
			};
		});
	}

	/** Tells every administrator about drift not reported before. Row messages quote NextPanel's text, so they are escaped. */
	async notifyNewDrift({ serverId, serverName, before, rows }: DriftNotice): Promise<void> {
		const fresh = rows.filter((row) => !before.has(driftKey(row)));
		if (fresh.length === 0) return;
		const lines = fresh.slice(0, 10).map((row) => `- ${escapeMarkdown(row.message)}`);
		const notice = {
			subject: `NextPanel server "${serverName}": ${fresh.length} new difference${fresh.length === 1 ? '' : 's'} with Directus`,
			message: `${lines.join('\n')}${fresh.length > 10 ? `\n- ... and ${fresh.length - 10} more` : ''}\n\nOpen the NextPanel module to see every difference and fix it.`,
		};
		const core = this.#context.core;
		for (const admin of await administrators(core.knex))
			await notify(core, admin, { collection: 'nextpanel_servers', id: serverId }, notice);
	}
}

/** Serialises imports (and provisioning's slot accounting) per server. SQLite has one writer at a time already. */
async function lockServer(trx: Knex.Transaction, serverId: string): Promise<void> {
	if (isPostgres(trx)) await trx('nextpanel_servers').select('id').where({ id: serverId }).forNoKeyUpdate();
}

function chunked<T>(items: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
	return result;
}

function importReport({ plan, dryRun }: { plan: ImportPlan; dryRun: boolean }): ImportReport {
	const importing = plan.rows.filter((row) => row.action === 'import');
	return {
		dry_run: dryRun,
		remote_total: plan.remote_total,
		already_linked: plan.already_linked,
		counts: {
			import: importing.length,
			skip: plan.rows.length - importing.length,
			new_customers: new Set(importing.filter((r) => r.match === 'new_customer').map((r) => r.email!.toLowerCase())).size,
			by_billing_id: importing.filter((r) => r.match === 'billing_id').length,
			by_email: importing.filter((r) => r.match === 'email').length,
		},
		rows: plan.rows.map(publicImportRow),
		warnings: plan.warnings,
	};
}

/** The plan's own working fields stay out of the answer. */
function publicImportRow({ customer_name: _name, provisioned_at: _at, ...row }: PlannedRow): ImportRow {
	return row;
}

export function previousDriftKeys(stored: unknown): Set<string> {
	let report = stored;
	if (typeof stored === 'string') {
		try {
			report = JSON.parse(stored);
		} catch {
			return new Set();
		}
	}
	const rows = (report as { rows?: DriftRow[] } | null)?.rows;
	return new Set(Array.isArray(rows) ? rows.map(driftKey) : []);
}
