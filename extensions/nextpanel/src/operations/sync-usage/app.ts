import { defineOperationApp } from '@directus/extensions-sdk';
import { accountOption, customerTargetOption, targetOverview, permissionsField } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-sync-usage',
	name: 'Sync hosting usage',
	icon: 'monitoring',
	description: 'Fetch disk and bandwidth usage from NextPanel now.',
	overview: targetOverview,
	options: [accountOption, customerTargetOption, permissionsField],
});
