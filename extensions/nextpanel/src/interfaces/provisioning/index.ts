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
	// The panel carries its own heading beside its buttons; a field label above it would repeat it.
	hideLabel: true,
	options: null,
});
