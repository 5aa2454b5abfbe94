import { defineLifecycleOperation } from '../lifecycle-operation.ts';

export default defineLifecycleOperation({
	id: 'nextpanel-terminate',
	title: 'Terminate hosting',
	action: 'terminate',
	act: (accounts, id) => accounts.terminate(id),
});
