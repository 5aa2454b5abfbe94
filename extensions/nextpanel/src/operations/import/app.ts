import { defineOperationApp } from '@directus/extensions-sdk';
import { permissionsField, serverOption } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-import',
	name: 'Import NextPanel accounts',
	icon: 'download',
	description:
		'Adopt the accounts a NextPanel server already has: each is linked to a customer by billing id or e-mail. Never writes to NextPanel. Returns the report as JSON.',
	overview: ({ server, dry_run, create_customers }) => [
		{ label: 'Server', text: String((server as { key?: string } | null)?.key ?? server ?? '—') },
		{ label: 'Mode', text: dry_run ? 'Dry run (writes nothing)' : 'Import' },
		{ label: 'New customers', text: create_customers ? 'Created when none matches' : 'Not created' },
	],
	options: [
		serverOption(true),
		{
			field: 'dry_run',
			name: 'Dry run',
			type: 'boolean',
			schema: { default_value: true },
			meta: { width: 'half', interface: 'boolean', note: 'Report only; write nothing' },
		},
		{
			field: 'create_customers',
			name: 'Create customers',
			type: 'boolean',
			schema: { default_value: false },
			meta: { width: 'half', interface: 'boolean', note: 'For accounts whose billing id and e-mail match no customer' },
		},
		{
			field: 'paid_until',
			name: 'Paid until',
			type: 'string',
			meta: {
				width: 'half',
				interface: 'input',
				options: { placeholder: 'YYYY-MM-DD (empty: no term)' },
				note: 'The term the imported accounts start with',
			},
		},
		{
			field: 'overdue_exempt',
			name: 'Exempt from overdue suspension',
			type: 'boolean',
			schema: { default_value: false },
			meta: { width: 'half', interface: 'boolean' },
		},
		permissionsField,
	],
});
