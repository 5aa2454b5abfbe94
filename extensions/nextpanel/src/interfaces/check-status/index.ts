import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'nextpanel-check-status',
	name: 'NextPanel connection status (read-only)',
	icon: 'network_check',
	description: 'The outcome of the last connection test as a badge, in the words the connection test uses',
	component: InterfaceComponent,
	types: ['string'],
	group: 'other',
	options: null,
});
