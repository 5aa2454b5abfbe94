import { defineOperationApp } from '@directus/extensions-sdk';
import { serverOption, permissionsField } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-test-connection',
	name: 'Test NextPanel connection',
	icon: 'network_check',
	description:
		'Check that a NextPanel server is reachable, accepts its API key and may provision accounts. A failed check takes the reject path.',
	overview: ({ server }) => [{ label: 'Server', text: String((server as { key?: string } | null)?.key ?? server ?? '—') }],
	options: [serverOption(true), permissionsField],
});
