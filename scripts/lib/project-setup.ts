// One-time, idempotent set-up through the Directus API after it starts: claim the project so
// Directus 12's license and owner dialogs never block a newcomer, and register the demo server.
import { authentication, createDirectus, createItem, readItems, readSettings, rest, updateItem, updateSettings } from '@directus/sdk';

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

export async function configureProject(url: string, email: string, password: string, demo: DemoServer | null): Promise<SetupResult> {
	const client = createDirectus(url).with(authentication('json', { autoRefresh: false })).with(rest());
	try {
		await client.login({ email, password });
	} catch {
		return { loggedIn: false, demoServer: 'skipped' };
	}
	const settings = await client.request(readSettings({ fields: ['project_owner'] }));
	if (!settings.project_owner) await client.request(updateSettings({ project_owner: email, project_usage: 'personal' } as never));
	if (!demo) return { loggedIn: true, demoServer: 'skipped' };

	const [existing] = await client.request(
		readItems('nextpanel_servers', { filter: { name: { _eq: DEMO_SERVER_NAME } }, fields: ['id', 'base_url', 'api_key'], limit: 1 }),
	);
	if (!existing) {
		await client.request(
			createItem('nextpanel_servers', { name: DEMO_SERVER_NAME, base_url: demo.baseUrl, api_key: demo.apiKey, api_secret: demo.apiSecret, capacity: 100, status: 'active' }),
		);
		return { loggedIn: true, demoServer: 'created' };
	}
	if (existing['base_url'] === demo.baseUrl && existing['api_key'] === demo.apiKey) return { loggedIn: true, demoServer: 'unchanged' };
	await client.request(updateItem('nextpanel_servers', existing['id'] as string, { base_url: demo.baseUrl, api_key: demo.apiKey, api_secret: demo.apiSecret }));
	return { loggedIn: true, demoServer: 'updated' };
}
