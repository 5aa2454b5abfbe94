import { definePanel } from '@directus/extensions-sdk';
import { serverField } from '../shared/panel-fields.ts';
import { strings } from '../shared/strings.ts';
import PanelComponent from './panel.vue';

export default definePanel({
	id: 'nextpanel-accounts-by-status',
	name: strings.panels.accounts.name,
	icon: 'donut_small',
	description: strings.panels.accounts.description,
	component: PanelComponent,
	options: [serverField],
	minWidth: 12,
	minHeight: 8,
});
