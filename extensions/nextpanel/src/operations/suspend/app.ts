import { defineOperationApp } from '@directus/extensions-sdk';
import { accountOption, customerTargetOption, targetOverview, permissionsField } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-suspend',
	name: 'Suspend hosting',
	icon: 'pause_circle',
	description: 'Suspend a hosting account on NextPanel, or every active account of a customer.',
	overview: (options) => [...targetOverview(options), { label: 'Reason', text: String(options['reason'] || '—') }],
	options: [
		accountOption,
		customerTargetOption,
		{
			field: 'reason',
			name: 'Reason',
			type: 'string',
			meta: { width: 'half', interface: 'input', options: { placeholder: 'e.g. Unpaid invoice' } },
		},
		permissionsField,
	],
});
