import { defineLifecycleOperation } from '../lifecycle-operation.ts';

export default defineLifecycleOperation({
	id: 'nextpanel-sync-usage',
	title: 'Sync hosting usage',
	action: 'sync',
	act: (accounts, id) => accounts.syncUsage(id),
});
