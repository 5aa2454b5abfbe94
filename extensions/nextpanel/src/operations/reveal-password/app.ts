import { defineOperationApp } from '@directus/extensions-sdk';
import { accountOption, permissionsField } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-reveal-password',
	name: 'Reveal hosting password',
	icon: 'key',
	description:
		'Take the generated password of a hosting account, once, for the next operation (for example your own mail). Needs a flow whose tracking is "Activity" or "Disabled".',
	overview: ({ account }) => [{ label: 'Hosting account', text: String(account ?? '—') }],
	options: [{ ...accountOption, meta: { ...accountOption.meta, required: true } }, permissionsField],
});
