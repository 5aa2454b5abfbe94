import { definePanel } from '@directus/extensions-sdk';
import { daysField, fromField, serverField, toField } from '../shared/panel-fields.ts';
import { strings } from '../shared/strings.ts';
import '../shared/insight-table.css';
import PanelComponent from './panel.vue';
import { DEFAULT_DAYS } from './query.ts';

export default definePanel({
	id: 'nextpanel-provisioning-over-time',
	name: strings.panels.provisioning.name,
	icon: 'stacked_line_chart',
	description: strings.panels.provisioning.description,
	component: PanelComponent,
	options: [
		serverField,
		daysField(DEFAULT_DAYS),
		{
			field: 'interval',
			name: strings.options.interval,
			type: 'string',
			schema: { default_value: 'day' },
			meta: {
				interface: 'select-dropdown',
				width: 'half',
				options: {
					choices: [
						{ text: strings.options.day, value: 'day' },
						{ text: strings.options.week, value: 'week' },
					],
				},
			},
		},
		fromField,
		toField,
	],
	minWidth: 12,
	minHeight: 8,
});
