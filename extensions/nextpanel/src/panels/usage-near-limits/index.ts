import { definePanel } from '@directus/extensions-sdk';
import { serverField } from '../shared/panel-fields.ts';
import { strings } from '../shared/strings.ts';
import '../shared/insight-table.css';
import PanelComponent from './panel.vue';
import { DEFAULT_LIMIT, MAX_LIMIT } from './usage-view.ts';

export default definePanel({
	id: 'nextpanel-usage-near-limits',
	name: strings.panels.usage.name,
	icon: 'data_usage',
	description: strings.panels.usage.description,
	component: PanelComponent,
	options: [
		serverField,
		{
			field: 'limit',
			name: strings.options.limit,
			type: 'integer',
			schema: { default_value: DEFAULT_LIMIT },
			meta: { interface: 'input', width: 'half', options: { min: 1, max: MAX_LIMIT, placeholder: String(DEFAULT_LIMIT) } },
		},
		{
			field: 'metric',
			name: strings.options.metric,
			type: 'string',
			schema: { default_value: 'any' },
			meta: {
				interface: 'select-dropdown',
				width: 'half',
				options: {
					choices: [
						{ text: strings.options.metricAny, value: 'any' },
						{ text: strings.options.metricDisk, value: 'disk' },
						{ text: strings.options.metricBandwidth, value: 'bandwidth' },
					],
				},
			},
		},
	],
	minWidth: 12,
	minHeight: 8,
});
