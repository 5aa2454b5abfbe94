// One-time, idempotent set-up through the Directus API after it starts: claim the project so
// Directus 12's license and owner dialogs never block a newcomer, and register the demo server.
import {
	authentication,
	createDirectus,
	createItem,
	readItems,
	readSettings,
	rest,
	updateItem,
	updateSettings,
	type RestClient,
} from '@directus/sdk';
import { ensureOperatorPolicy } from './policies.ts';

export const DEMO_SERVER_NAME = 'Demo NextPanel (simulator)';

export interface DemoServer {
	baseUrl: string;
	apiKey: string;
	apiSecret: string;
}

export interface SetupResult {
	loggedIn: boolean;
	demoServer: 'created' | 'updated' | 'unchanged' | 'skipped';
}

interface ModuleBarEntry {
	type: 'module' | 'link';
	id: string;
	enabled: boolean;
	[key: string]: unknown;
}

/** Directus 12's own default module bar, used when the project has never customised it. */
const DEFAULT_MODULE_BAR: ModuleBarEntry[] = [
	{ type: 'module', id: 'content', enabled: true },
	{ type: 'module', id: 'visual', enabled: false },
	{ type: 'module', id: 'users', enabled: true },
	{ type: 'module', id: 'files', enabled: true },
	{ type: 'module', id: 'insights', enabled: true },
	{ type: 'module', id: 'flows', enabled: true },
	{ type: 'module', id: 'deployments', enabled: false },
	{ type: 'link', id: 'docs', enabled: true, name: '$t:documentation', icon: 'help', url: 'https://directus.com/docs' },
	{ type: 'module', id: 'settings', enabled: true, locked: true },
];

/** Claims the project (no licence/owner dialogs) and puts the NextPanel module in the module bar once. */
export async function prepareProjectSettings(client: RestClient<object>, ownerEmail: string): Promise<void> {
	const settings = (await client.request(readSettings({ fields: ['project_owner', 'module_bar'] }))) as {
		project_owner: string | null;
		module_bar: ModuleBarEntry[] | null;
	};
	const changes: Record<string, unknown> = {};
	if (!settings.project_owner) Object.assign(changes, { project_owner: ownerEmail, project_usage: 'personal' });
	const bar = settings.module_bar ?? DEFAULT_MODULE_BAR;
	if (!bar.some((entry) => entry.id === 'nextpanel')) {
		const afterContent = bar.findIndex((entry) => entry.id === 'content') + 1;
		changes['module_bar'] = [...bar.slice(0, afterContent), { type: 'module', id: 'nextpanel', enabled: true }, ...bar.slice(afterContent)];
	}
	if (Object.keys(changes).length) await client.request(updateSettings(changes as never));
}

export async function configureProject(url: string, email: string, password: string, demo: DemoServer | null): Promise<SetupResult> {
	const client = createDirectus(url)
		.with(authentication('json', { autoRefresh: false }))
		.with(rest());
	try {
		await client.login({ email, password });
	} catch {
		return { loggedIn: false, demoServer: 'skipped' };
	}
	await prepareProjectSettings(client, email);
	await ensureOperatorPolicy(client);
	if (!demo) return { loggedIn: true, demoServer: 'skipped' };

	const [existing] = await client.request(
		readItems('nextpanel_servers', { filter: { name: { _eq: DEMO_SERVER_NAME } }, fields: ['id', 'base_url', 'api_key'], limit: 1 }),
	);
	if (!existing) {
		await client.request(
			createItem('nextpanel_servers', {
				name: DEMO_SERVER_NAME,
				base_url: demo.baseUrl,
				api_key: demo.apiKey,
				api_secret: demo.apiSecret,
				capacity: 100,
				status: 'active',
			}),
		);
		return { loggedIn: true, demoServer: 'created' };
	}
	if (existing['base_url'] === demo.baseUrl && existing['api_key'] === demo.apiKey) return { loggedIn: true, demoServer: 'unchanged' };
	await client.request(
		updateItem('nextpanel_servers', existing['id'] as string, { base_url: demo.baseUrl, api_key: demo.apiKey, api_secret: demo.apiSecret }),
	);
	return { loggedIn: true, demoServer: 'updated' };
}
