import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'nextpanel-server-picker',
	name: 'NextPanel server picker',
	icon: 'dns',
	description: 'Picks a NextPanel server by name with its free slots; full and disabled servers are shown but cannot be chosen',
	component: InterfaceComponent,
	types: ['uuid', 'string'],
	localTypes: ['m2o'],
	relational: true,
	group: 'relational',
	options: null,
});
