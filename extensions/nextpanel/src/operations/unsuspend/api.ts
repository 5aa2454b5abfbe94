import { defineLifecycleOperation } from '../lifecycle-operation.ts';

export default defineLifecycleOperation({
	id: 'nextpanel-unsuspend',
	title: 'Unsuspend hosting',
	action: 'unsuspend',
	act: (accounts, id) => accounts.unsuspend(id),
});
