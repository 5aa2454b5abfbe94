import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'nextpanel-package-picker',
	name: 'NextPanel package picker',
	icon: 'inventory_2',
	description:
		'The packages the chosen NextPanel server offers as a dropdown, or with an automatic server those every server that could take the account offers; a number input when none lists packages',
	component: InterfaceComponent,
	types: ['integer'],
	group: 'selection',
	options: [
		{
			field: 'serverField',
			name: 'Server field',
			type: 'string',
			meta: { width: 'half', interface: 'input', note: 'The field of this form that holds the chosen NextPanel server' },
			schema: { default_value: 'hosting_server' },
		},
	],
});
