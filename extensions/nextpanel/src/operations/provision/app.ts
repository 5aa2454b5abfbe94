import { defineOperationApp } from '@directus/extensions-sdk';
import { serverOption, permissionsField } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-provision',
	name: 'Provision hosting account',
	icon: 'cloud_upload',
	description: 'Create a NextPanel hosting account for a customer. The password is generated and sent by the welcome mail.',
	overview: ({ customer, username }) => [
		{ label: 'Customer', text: String(customer ?? '—') },
		{ label: 'Username', text: String(username || 'derived from the customer') },
	],
	options: [
		{
			field: 'customer',
			name: 'Customer',
			type: 'string',
			meta: { width: 'half', interface: 'input', required: true, options: { placeholder: '{{$trigger.key}}', font: 'monospace' } },
		},
		serverOption(false),
		{
			field: 'username',
			name: 'Username',
			type: 'string',
			meta: { width: 'half', interface: 'input', options: { placeholder: 'derived from the customer', font: 'monospace' } },
		},
		{ field: 'package', name: 'Package id', type: 'integer', meta: { width: 'half', interface: 'input' } },
		permissionsField,
	],
});
