import { defineOperationApp } from '@directus/extensions-sdk';
import { accountOption, customerTargetOption, targetOverview, permissionsField } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-terminate',
	name: 'Terminate hosting',
	icon: 'delete_forever',
	description: 'Delete a hosting account on NextPanel (its record stays, marked terminated), or every account of a customer.',
	overview: targetOverview,
	options: [accountOption, customerTargetOption, permissionsField],
});
