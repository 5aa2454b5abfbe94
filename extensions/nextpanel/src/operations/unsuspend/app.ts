import { defineOperationApp } from '@directus/extensions-sdk';
import { accountOption, customerTargetOption, targetOverview, permissionsField } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-unsuspend',
	name: 'Unsuspend hosting',
	icon: 'play_circle',
	description: 'Reactivate a suspended hosting account on NextPanel, or every suspended account of a customer.',
	overview: targetOverview,
	options: [accountOption, customerTargetOption, permissionsField],
});
