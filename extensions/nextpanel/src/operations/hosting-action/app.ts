import { defineOperationApp } from '@directus/extensions-sdk';
import { HOSTING_ACTIONS, HOSTING_ACTION_LABELS } from '../../shared/hosting-action.ts';

const templated = (field: string, name: string, placeholder: string, width: 'half' | 'full' = 'half') => ({
	field,
	name,
	type: 'string' as const,
	meta: { width, interface: 'input', options: { placeholder } },
});

export default defineOperationApp({
	id: 'nextpanel-hosting-action',
	name: 'NextPanel hosting action',
	icon: 'dns',
	description: `One of ${HOSTING_ACTIONS.join(', ')} for the selected customers or hosting accounts; never terminate or reveal a password.`,
	overview: (options) => [
		{ label: 'Action', text: String(options['action'] || '—') },
		{ label: 'Items', text: String(options['collection'] || '—') },
	],
	options: [
		{
			field: 'action',
			name: 'Action',
			type: 'string',
			meta: {
				width: 'half',
				interface: 'select-dropdown',
				options: {
					allowOther: true,
					choices: [
						{ text: 'From the trigger: {{$trigger.body.action}}', value: '{{$trigger.body.action}}' },
						...HOSTING_ACTIONS.map((action) => ({ text: HOSTING_ACTION_LABELS[action], value: action })),
					],
				},
			},
			schema: { default_value: '{{$trigger.body.action}}' },
		},
		templated('collection', 'Collection', '{{$trigger.body.collection}}'),
		templated('keys', 'Items', '{{$trigger.body.keys}}'),
		templated('reason', 'Reason (suspend)', '{{$trigger.body.reason}}'),
		templated('days', 'Days (extend)', '{{$trigger.body.days}}'),
		templated('months', 'Months (extend)', '{{$trigger.body.months}}'),
		templated('until', 'Until (extend)', '{{$trigger.body.until}}'),
	],
});
