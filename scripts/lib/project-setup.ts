// What `npm start` sets up for the demo through the Directus API, once and idempotently: it
// claims the project so Directus 12's licence and owner dialogs never block a newcomer, and
// registers the demo NextPanel server. Everything the plugin needs in any project (its schema,
// the operator policy, the module in the module bar) the bundle sets up itself.
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

export const DEMO_SERVER_NAME = 'Demo NextPanel (simulator)';

/** The demo server's packages, matching the limits the simulator reports for them. */
export const DEMO_PACKAGES = [
	{ id: 1, name: 'Starter', disk_mb: 10240, bandwidth_mb: 102400 },
	{ id: 2, name: 'Standard', disk_mb: 51200, bandwidth_mb: 512000 },
	{ id: 3, name: 'Pro', disk_mb: 204800, bandwidth_mb: 2048000 },
];

export interface DemoServer {
	baseUrl: string;
	apiKey: string;
	apiSecret: string;
}

export interface SetupResult {
	loggedIn: boolean;
	demoServer: 'created' | 'updated' | 'unchanged' | 'skipped';
}

/** The demo's project name: Directus signs every mail it sends "The <project name> Team". */
export const DEMO_PROJECT_NAME = 'Example Hosting';

/**
 * Claims the project, so the licence and owner dialogs of Directus 12 do not block the demo, and
 * names it when it has no name of its own, so its mails are not signed "The Directus Team".
 */
export async function claimProject(client: RestClient<object>, ownerEmail: string): Promise<void> {
	const settings = (await client.request(readSettings({ fields: ['project_owner', 'project_name'] }))) as {
		project_owner: string | null;
		project_name: string | null;
	};
	const patch: Record<string, string> = {};
	if (!settings.project_owner) Object.assign(patch, { project_owner: ownerEmail, project_usage: 'personal' });
	if (!settings.project_name || settings.project_name === 'Directus') patch['project_name'] = DEMO_PROJECT_NAME;
	if (Object.keys(patch).length) await client.request(updateSettings(patch as never));
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
	await claimProject(client, email);
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
				packages: DEMO_PACKAGES,
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
