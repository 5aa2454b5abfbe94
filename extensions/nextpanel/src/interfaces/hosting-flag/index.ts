import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';
import { strings } from './strings.ts';

export default defineInterface({
	id: 'nextpanel-hosting-flag',
	name: 'NextPanel provision on save',
	icon: 'cloud_upload',
	description:
		'"Provision hosting on save" for a customer without hosting accounts; for one that has them, their state and where to act on it, so a save never reads as provisioning again',
	component: InterfaceComponent,
	types: ['boolean'],
	group: 'selection',
	// The checkbox carries its own label, and the hosting state needs none: a field label above
	// either would only repeat it.
	hideLabel: true,
	options: [
		{
			field: 'label',
			name: strings.optionLabel,
			type: 'string',
			meta: { width: 'full', interface: 'system-input-translated-string' },
			schema: { default_value: strings.defaultLabel },
		},
	],
});
