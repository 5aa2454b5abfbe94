import { defineLifecycleOperation } from '../lifecycle-operation.ts';

export default defineLifecycleOperation({
	id: 'nextpanel-suspend',
	title: 'Suspend hosting',
	action: 'suspend',
	act: (accounts, id, options) => accounts.suspend(id, options.reason || null),
});
