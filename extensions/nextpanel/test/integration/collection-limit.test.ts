// Directus without a licence allows 25 active collections. A project near that limit gets the
// plugin without harm: with no room for its required collections nothing is installed and the
// log and /nextpanel/status say how many there are and what to do; with room for all but the
// settings singleton the plugin works and its overdue policy comes from the environment; once
// there is room, the next start installs the settings and gives the operator policy read access.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-limit-'));
const credentials = newCredentials();
const noExtensions = join(tmp, 'no-extensions');
let database: TestDatabase;
let directus: BootedDirectus | null = null;

const ENV = { NEXTPANEL_WELCOME_MAIL: 'false', NEXTPANEL_OVERDUE_SUSPEND_AFTER_DAYS: '5' };

async function call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
	const response = await fetch(`${directus!.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${credentials.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function boot({ extensionsPath, prepare = false }: { extensionsPath?: string; prepare?: boolean } = {}): Promise<void> {
	await directus?.stop();
	directus = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name: `limit-${Date.now()}`,
		prepare,
		...(extensionsPath ? { extensionsPath } : {}),
		env: ENV,
	});
}

const own = (index: number) => `host_notes_${String(index).padStart(2, '0')}`;

async function collections(): Promise<string[]> {
	// Tables without Directus metadata (the plugin's install log) are not collections an admin sees.
	const all = (await call('GET', '/collections')).body.data as { collection: string; meta: unknown }[];
	return all.filter((entry) => entry.meta !== null).map((entry) => entry.collection);
}

async function operatorReadsSettings(): Promise<boolean> {
	const policy = (await call('GET', '/policies?filter[name][_eq]=NextPanel operator&fields=id')).body.data[0];
	const permissions = (
		await call('GET', `/permissions?filter[policy][_eq]=${policy.id}&filter[collection][_eq]=nextpanel_settings&limit=-1`)
	).body.data;
	return permissions.length > 0;
}

beforeAll(async () => {
	mkdirSync(noExtensions, { recursive: true });
	database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', tmp);
	await boot({ extensionsPath: noExtensions, prepare: true });
	// 22 collections of the host's own: the plugin's five (customers included) would make 27.
	for (let index = 1; index <= 22; index++) {
		const created = await call('POST', '/collections', {
			collection: own(index),
			meta: { icon: 'note' },
			schema: {},
			fields: [{ field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } }],
		});
		expect(created.status).toBe(200);
	}
	await call('POST', `/items/${own(1)}`, {});
	// And as many active flows as a core project may have.
	for (let index = 1; index <= 5; index++) {
		const flow = await call('POST', '/flows', {
			name: `Own flow ${index}`,
			status: 'active',
			trigger: 'webhook',
			options: { method: 'GET' },
		});
		expect(flow.status, JSON.stringify(flow.body)).toBe(200);
		ownFlows.push(flow.body.data.id);
	}
	await boot();
}, 300_000);

const ownFlows: string[] = [];
const hostingActionFlow = async () =>
	(await call('GET', `/flows?filter[name][_eq]=${encodeURIComponent('NextPanel: hosting action')}&fields=id,status`)).body.data as {
		id: string;
		status: string;
	}[];

afterAll(async () => {
	await directus?.stop();
	await database?.drop();
	if (!process.env['KEEP_TMP']) rmSync(tmp, { recursive: true, force: true });
});

describe('the 25-collection limit of a project without a licence', () => {
	test('no room for the required collections: nothing is installed, and the log and the status say how many there are', async () => {
		const names = await collections();
		expect(names.filter((name) => !name.startsWith('directus_'))).toHaveLength(22);
		for (const plugin of ['hosting_accounts', 'nextpanel_servers', 'nextpanel_logs', 'nextpanel_settings', 'customers'])
			expect(names).not.toContain(plugin);
		const log = readFileSync(directus!.logFile, 'utf8');
		expect(log).toMatch(
			/nextpanel: nothing was installed: Directus refused to create 4 more collection\(s\) \(customers, hosting_accounts, nextpanel_logs, nextpanel_servers\): this project has 22 active collections, and Directus without a licence allows 25/,
		);
		const status = (await call('GET', '/nextpanel/status')).body.data;
		expect(status.ready).toBe(false);
		expect(status.problems.join(' ')).toMatch(/this project has 22 active collections, and Directus without a licence allows 25/);
		// The host's own rows are untouched, and Directus serves them as before.
		expect((await call('GET', `/items/${own(1)}`)).body.data).toHaveLength(1);
		expect((await call('GET', '/nextpanel/overdue')).status).toBe(503);
	});

	test('room for all but the settings: the plugin works, the policy comes from the environment, and the module is told why', async () => {
		expect((await call('DELETE', `/collections/${own(22)}`)).status).toBe(204);
		await boot();
		const names = await collections();
		for (const plugin of ['hosting_accounts', 'nextpanel_servers', 'nextpanel_logs', 'customers']) expect(names).toContain(plugin);
		expect(names).not.toContain('nextpanel_settings');
		expect(readFileSync(directus!.logFile, 'utf8')).toMatch(/nextpanel: nextpanel_settings was not installed: this project has no room/);

		const status = (await call('GET', '/nextpanel/status')).body.data;
		expect(status.ready).toBe(true);
		expect(status.notices.join(' ')).toMatch(/nextpanel_settings was not installed.*NEXTPANEL_OVERDUE_\* variables/);
		const preview = (await call('GET', '/nextpanel/overdue')).body.data;
		expect(preview.policy).toMatchObject({ source: 'no_settings_collection', overdue_suspend_after_days: 5 });
		expect(await operatorReadsSettings()).toBe(false);
		// The plugin's own collections serve reads.
		expect((await call('GET', '/items/hosting_accounts')).status).toBe(200);

		// No room for a sixth active flow either: the assistant's flow is made, inactive, and the module is told.
		const flows = await hostingActionFlow();
		expect(flows).toEqual([{ id: expect.any(String), status: 'inactive' }]);
		expect(status.notices.join(' ')).toMatch(
			/"NextPanel: hosting action" is inactive: the project had as many active flows as Directus allows/,
		);
		expect(readFileSync(directus!.logFile, 'utf8')).toMatch(/created the flow \\?"NextPanel: hosting action\\?" inactive/);
	});

	test('room made later: the next start installs the settings and lets the operator policy read them', async () => {
		expect((await call('DELETE', `/collections/${own(21)}`)).status).toBe(204);
		// Room made for the flow too: one of the host's goes inactive, the plugin's becomes active.
		expect((await call('PATCH', `/flows/${ownFlows[0]}`, { status: 'inactive' })).status).toBe(200);
		expect((await call('PATCH', `/flows/${(await hostingActionFlow())[0]!.id}`, { status: 'active' })).status).toBe(200);
		await boot();
		expect(await hostingActionFlow()).toEqual([{ id: expect.any(String), status: 'active' }]);
		expect(await collections()).toContain('nextpanel_settings');
		const status = (await call('GET', '/nextpanel/status')).body.data;
		expect(status).toMatchObject({ ready: true, notices: [] });
		expect((await call('GET', '/nextpanel/overdue')).body.data.policy.source).toBe('environment');
		expect(await operatorReadsSettings()).toBe(true);
		expect((await call('GET', `/items/${own(1)}`)).body.data).toHaveLength(1);
	});
});
