// The indexes the insight routes need to answer in milliseconds at a million call-log rows and
// 100,000 accounts. Added once by the installer, additively, only on tables the plugin created
// (uninstall drops those tables, and their indexes with them); a host's own table is left alone.
import type { SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { createdItems } from '../install/step-log.ts';

export interface PluginIndex {
	name: string;
	table: 'hosting_accounts' | 'nextpanel_logs';
	columns: readonly string[];
	/** Which query it serves. */
	for: string;
}

export const INSIGHT_INDEXES: readonly PluginIndex[] = [
	{
		name: 'nextpanel_logs_date_server_outcome',
		table: 'nextpanel_logs',
		columns: ['date_created', 'server', 'outcome', 'action'],
		for: 'calls per server in a date range, read from the index alone',
	},
	{
		// Everything the buckets read, so SQLite never visits the rows themselves.
		name: 'nextpanel_logs_action_date',
		table: 'nextpanel_logs',
		columns: ['action', 'date_created', 'outcome', 'server', 'hosting_account'],
		for: 'provisioning buckets, read from the index alone',
	},
	{ name: 'nextpanel_logs_outcome_date', table: 'nextpanel_logs', columns: ['outcome', 'date_created'], for: 'the newest errors' },
	{
		name: 'nextpanel_logs_account_action_date',
		table: 'nextpanel_logs',
		columns: ['hosting_account', 'action', 'date_created'],
		for: "whether an account had an earlier create (retries), one index seek; an account's call log",
	},
	{
		name: 'nextpanel_hosting_accounts_server_status',
		table: 'hosting_accounts',
		columns: ['server', 'status'],
		for: 'slots per server (capacity, server choice) and counts for one server',
	},
	{
		// Two columns, not status alone: the retry job asks for pending accounts whose next attempt
		// is due, and a single-column index would show up as `is_indexed` in the schema snapshot.
		name: 'nextpanel_hosting_accounts_status_next_attempt',
		table: 'hosting_accounts',
		columns: ['status', 'next_attempt_ms'],
		for: 'accounts in one state: the retry job, usage near limits',
	},
];

async function createIndex(knex: Knex, index: PluginIndex): Promise<void> {
	const columns = index.columns.map(() => '??').join(', ');
	const client = String(knex.client.config.client);
	if (client === 'sqlite3' || client === 'pg' || client === 'postgres') {
		await knex.raw(`CREATE INDEX IF NOT EXISTS ?? ON ?? (${columns})`, [index.name, index.table, ...index.columns]);
		return;
	}
	// Databases without IF NOT EXISTS for indexes: an index that is there already is as good as a new one.
	try {
		await knex.schema.alterTable(index.table, (table) => table.index([...index.columns], index.name));
	} catch (error) {
		if (!/exist|duplicate/i.test(error instanceof Error ? error.message : String(error))) throw error;
	}
}

/**
 * Adds the indexes that are missing. Null when a table the plugin is to create is not there yet
 * (no room in the project): the step then runs again once it is.
 */
export async function addInsightIndexes(knex: Knex, schema: SchemaOverview): Promise<string | null> {
	const tables = [...new Set(INSIGHT_INDEXES.map((index) => index.table))];
	if (tables.some((table) => !schema.collections[table])) return null;
	const ours = new Set((await createdItems(knex)).filter((item) => item.kind === 'collection').map((item) => item.name));
	const added: string[] = [];
	for (const index of INSIGHT_INDEXES) {
		if (!ours.has(index.table)) continue;
		await createIndex(knex, index);
		added.push(index.name);
	}
	const skipped = tables.filter((table) => !ours.has(table));
	return [`${added.length} index(es)`, ...(skipped.length ? [`not on ${skipped.join(', ')}, which the plugin did not create`] : [])].join(
		'; ',
	);
}
