import { defineInterface } from '@directus/extensions-sdk';
import { PASSWORD_DEFAULT_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../shared/password.ts';
import InterfaceComponent from './interface.vue';
import { strings } from './strings.ts';

export default defineInterface({
	id: 'nextpanel-password',
	name: 'NextPanel password',
	icon: 'password',
	description:
		'Generates a strong hosting password to copy; the form saves only once "I have saved this password" is ticked. The value is sent with the save and never stored.',
	component: InterfaceComponent,
	// A value the form sends but never stores: an alias field (special alias + no-data).
	types: ['alias'],
	localTypes: ['presentation'],
	group: 'other',
	options: [
		{
			field: 'length',
			name: strings.optionLength,
			type: 'integer',
			meta: {
				width: 'half',
				interface: 'slider',
				note: strings.optionLengthNote,
				options: { minValue: PASSWORD_MIN_LENGTH, maxValue: PASSWORD_MAX_LENGTH, stepInterval: 1 },
			},
			schema: { default_value: PASSWORD_DEFAULT_LENGTH },
		},
		{
			field: 'excludeLookAlikes',
			name: strings.optionExcludeLookAlikes,
			type: 'boolean',
			meta: { width: 'half', interface: 'boolean' },
			schema: { default_value: false },
		},
	],
});
