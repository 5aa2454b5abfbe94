import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'nextpanel-password',
	name: 'NextPanel password',
	icon: 'password',
	description: 'Generate a strong hosting password, copy it, and confirm it was saved before the form can be saved',
	component: InterfaceComponent,
	types: ['alias', 'string', 'text'],
	localTypes: ['presentation', 'standard'],
	group: 'other',
	options: [
		{
			field: 'length',
			name: 'Default length',
			type: 'integer',
			meta: { width: 'half', interface: 'input', options: { min: 12, max: 64 } },
			schema: { default_value: 20 },
		},
	],
});
