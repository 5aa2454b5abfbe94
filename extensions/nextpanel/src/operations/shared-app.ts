// Option fields shared by the NextPanel operations' forms in the Flow editor.
import type { OperationAppConfig } from '@directus/types';

type OptionField = Exclude<OperationAppConfig['options'], ((...args: never[]) => unknown) | null | undefined>[number];

export const accountOption: OptionField = {
	field: 'account',
	name: 'Hosting account',
	type: 'string',
	meta: {
		width: 'half',
		interface: 'input',
		options: { placeholder: '{{$trigger.key}}', font: 'monospace' },
		note: 'Id of the hosting account (template variables allowed)',
	},
};

export const customerTargetOption: OptionField = {
	field: 'customer',
	name: 'Or: all accounts of customer',
	type: 'string',
	meta: {
		width: 'half',
		interface: 'input',
		options: { placeholder: '{{$trigger.keys[0]}}', font: 'monospace' },
		note: 'Id of a customer: acts on each of their hosting accounts',
	},
};

export const serverOption = (required: boolean): OptionField => ({
	field: 'server',
	name: 'NextPanel server',
	type: 'json',
	meta: {
		width: 'half',
		interface: 'collection-item-dropdown',
		options: { selectedCollection: 'nextpanel_servers', template: '{{name}}' },
		note: required ? 'The server to test' : 'Empty: the active server with the most free slots',
		required,
	},
});

export function targetOverview(options: Record<string, unknown>): { label: string; text: string }[] {
	return options['account']
		? [{ label: 'Hosting account', text: String(options['account']) }]
		: [{ label: 'Customer', text: String(options['customer'] ?? '—') }];
}

/** The same choice Directus's own item operations offer. */
export const permissionsField: OptionField = {
	field: 'permissions',
	name: 'Permissions',
	type: 'string',
	schema: { default_value: '$trigger' },
	meta: {
		width: 'half',
		interface: 'select-dropdown',
		options: {
			choices: [
				{ text: 'From trigger', value: '$trigger' },
				{ text: 'Full access', value: '$full' },
			],
		},
		note: 'Whose rights the action uses',
	},
};
