import { defineOperationApp } from '@directus/extensions-sdk';
import { permissionsField, serverOption } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-drift-check',
	name: 'Check NextPanel drift',
	icon: 'compare_arrows',
	description:
		'Compare the hosting accounts Directus holds for a server with the server itself. Writes nothing. Returns one row per difference.',
	overview: ({ server }) => [{ label: 'Server', text: String((server as { key?: string } | null)?.key ?? server ?? '—') }],
	options: [serverOption(true), permissionsField],
});
