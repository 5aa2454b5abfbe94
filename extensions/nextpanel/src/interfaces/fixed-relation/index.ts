import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'nextpanel-fixed-relation',
	name: 'NextPanel relation, fixed when read-only',
	icon: 'link',
	description:
		"Directus's many-to-one dropdown; when the field is read-only (e.g. a provisioned account's customer) it shows only the value and a link to it, without edit or remove icons",
	component: InterfaceComponent,
	types: ['uuid', 'string', 'integer', 'bigInteger'],
	localTypes: ['m2o'],
	relational: true,
	group: 'relational',
	options: [
		{
			field: 'template',
			name: 'Display template',
			type: 'string',
			meta: { width: 'full', interface: 'system-display-template' },
		},
	],
});
