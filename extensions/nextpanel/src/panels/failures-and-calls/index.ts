import { definePanel } from '@directus/extensions-sdk';
import { daysField, fromField, serverField, toField } from '../shared/panel-fields.ts';
import { strings } from '../shared/strings.ts';
import '../shared/insight-table.css';
import { DEFAULT_DAYS } from './calls-view.ts';
import PanelComponent from './panel.vue';

export default definePanel({
	id: 'nextpanel-failures-and-calls',
	name: strings.panels.calls.name,
	icon: 'error_outline',
	description: strings.panels.calls.description,
	component: PanelComponent,
	options: [serverField, daysField(DEFAULT_DAYS), fromField, toField],
	minWidth: 12,
	minHeight: 8,
});
