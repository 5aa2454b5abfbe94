import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'nextpanel-timestamp',
	name: 'NextPanel moment (read-only)',
	icon: 'event_available',
	description:
		'A date the system records (provisioned, suspended, last checked): shown in the app language with how long ago, with no picker or clear button',
	component: InterfaceComponent,
	types: ['timestamp', 'dateTime'],
	group: 'other',
	options: null,
});
