import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'nextpanel-connection-test',
	name: 'NextPanel connection test',
	icon: 'network_check',
	description: 'Tests the server in this form - reachability, credentials, permission level and version - and says how to fix what fails',
	component: InterfaceComponent,
	types: ['alias'],
	localTypes: ['presentation'],
	group: 'presentation',
	options: null,
});
