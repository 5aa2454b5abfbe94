// The "NextPanel" Insights dashboard the installer creates: once, with the bundle's five panels;
// an administrator's changes to it survive restarts; a deleted dashboard stays deleted; and the
// removal plan names only the dashboard the plugin made, keeping panels an administrator added.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-dashboard-'));
const credentials = newCredentials();
let database: TestDatabase;
let directus: BootedDirectus | null = null;
let boots = 0;

const PANEL_TYPES = [
	'nextpanel-accounts-by-status',
	'nextpanel-failures-and-calls',
	'nextpanel-provisioning-over-time',
	'nextpanel-server-capacity',
	'nextpanel-usage-near-limits',
];

async function call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
	const response = await fetch(`${directus!.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${credentials.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null, text };
}

async function boot(prepare = false): Promise<void> {
	await directus?.stop();
	directus = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name: `dashboard-${++boots}`,
		prepare,
		env: { NEXTPANEL_WELCOME_MAIL: 'false' },
	});
	expect((await call('GET', '/nextpanel/status')).body.data.ready).toBe(true);
}

interface Dashboard {
	id: string;
	name: string;
	panels: {
		id: string;
		type: string;
		name: string;
		position_x: number;
		position_y: number;
		width: number;
		height: number;
		options: unknown;
	}[];
}

async function dashboards(): Promise<Dashboard[]> {
	const answer = await call<{ data: Dashboard[] }>('GET', '/dashboards?fields=id,name,panels.*&sort=name');
	expect(answer.status, answer.text).toBe(200);
	return answer.body.data;
}

beforeAll(async () => {
	database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', tmp);
	await boot(true);
}, 300_000);

afterAll(async () => {
	await directus?.stop();
	await database?.drop();
	rmSync(tmp, { recursive: true, force: true });
});

describe('the NextPanel dashboard', () => {
	let id: string;

	test('a fresh install has it once, with the five panels side by side on the grid', async () => {
		const [dashboard, ...others] = await dashboards();
		expect(others).toEqual([]);
		expect(dashboard!.name).toBe('NextPanel');
		id = dashboard!.id;
		expect(dashboard!.panels.map((panel) => panel.type).sort()).toEqual(PANEL_TYPES);
		// No two panels overlap: each grid cell belongs to one panel at most.
		const cells = new Set<string>();
		for (const panel of dashboard!.panels) {
			for (let x = panel.position_x; x < panel.position_x + panel.width; x++) {
				for (let y = panel.position_y; y < panel.position_y + panel.height; y++) {
					expect(cells.has(`${x},${y}`), `${panel.name} overlaps at ${x},${y}`).toBe(false);
					cells.add(`${x},${y}`);
				}
			}
		}
		const plan = (await call('POST', '/nextpanel/uninstall', { dry_run: true })).body.data.plan;
		expect(plan.dashboards).toEqual([{ id, name: 'NextPanel', panels: 5, kept_panels: 0 }]);
	});

	test("an administrator's changes stay over a restart, and no second dashboard appears", async () => {
		const [dashboard] = await dashboards();
		const capacity = dashboard!.panels.find((panel) => panel.type === 'nextpanel-server-capacity')!;
		const usage = dashboard!.panels.find((panel) => panel.type === 'nextpanel-usage-near-limits')!;
		expect((await call('PATCH', `/dashboards/${id}`, { name: 'Hosting' })).status).toBe(200);
		expect((await call('PATCH', `/panels/${capacity.id}`, { position_y: 40, name: 'Room left' })).status).toBe(200);
		expect((await call('DELETE', `/panels/${usage.id}`)).status).toBe(204);
		const label = await call('POST', '/panels', {
			dashboard: id,
			type: 'label',
			name: 'Our note',
			position_x: 1,
			position_y: 60,
			width: 10,
			height: 4,
			options: { text: 'Call the data centre first' },
		});
		expect(label.status, label.text).toBe(200);
		const changed = await dashboards();

		await boot();
		expect(await dashboards()).toEqual(changed);
		expect(changed).toHaveLength(1);
		expect(changed[0]!.name).toBe('Hosting');
		expect(changed[0]!.panels.find((panel) => panel.id === capacity.id)).toMatchObject({ position_y: 40, name: 'Room left' });
		expect(changed[0]!.panels.some((panel) => panel.type === 'nextpanel-usage-near-limits')).toBe(false);

		// Removing the plugin would take its remaining four panels and keep the administrator's, with the dashboard.
		const plan = (await call('POST', '/nextpanel/uninstall', { dry_run: true })).body.data.plan;
		expect(plan.dashboards).toEqual([{ id, name: 'Hosting', panels: 4, kept_panels: 1 }]);
	});

	test('a deleted dashboard stays deleted, and a dashboard the plugin did not make is never its to remove', async () => {
		expect((await call('DELETE', `/dashboards/${id}`)).status).toBe(204);
		await boot();
		expect(await dashboards()).toEqual([]);

		const own = await call('POST', '/dashboards', { name: 'NextPanel', icon: 'star' });
		expect(own.status, own.text).toBe(200);
		await call('POST', '/panels', {
			dashboard: own.body.data.id,
			type: 'nextpanel-server-capacity',
			name: 'Capacity',
			position_x: 1,
			position_y: 1,
			width: 12,
			height: 8,
			options: {},
		});
		await boot();
		expect((await dashboards()).map((dashboard) => dashboard.id)).toEqual([own.body.data.id]);
		const plan = (await call('POST', '/nextpanel/uninstall', { dry_run: true })).body.data.plan;
		expect(plan.dashboards).toEqual([]);
	});
});
