import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'nextpanel-provisioning',
	name: 'NextPanel hosting',
	icon: 'cloud',
	description: "A customer's hosting accounts with status, usage and actions, and a form to provision a new one",
	component: InterfaceComponent,
	types: ['alias'],
	localTypes: ['presentation'],
	group: 'presentation',
	options: null,
});
