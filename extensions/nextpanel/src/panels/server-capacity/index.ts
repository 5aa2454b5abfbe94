import { definePanel } from '@directus/extensions-sdk';
import { serverField } from '../shared/panel-fields.ts';
import { strings } from '../shared/strings.ts';
import PanelComponent from './panel.vue';

export default definePanel({
	id: 'nextpanel-server-capacity',
	name: strings.panels.capacity.name,
	icon: 'dns',
	description: strings.panels.capacity.description,
	component: PanelComponent,
	options: [serverField],
	minWidth: 12,
	minHeight: 8,
});
