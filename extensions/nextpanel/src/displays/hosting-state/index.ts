import { defineDisplay } from '@directus/extensions-sdk';
import DisplayComponent from './display.vue';

export default defineDisplay({
	id: 'nextpanel-hosting-state',
	name: 'NextPanel hosting state',
	icon: 'cloud',
	description: "A customer's hosting in one line: the account that needs a look first, as a status badge with its username",
	component: DisplayComponent,
	options: null,
	types: ['alias'],
	localTypes: ['o2m'],
	// The list fetches these of each related hosting account for the display.
	fields: ['username', 'status'],
});
