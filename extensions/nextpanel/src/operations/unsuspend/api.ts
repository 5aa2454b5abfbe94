import { unsuspendAccount } from '../../core/provisioning/lifecycle.ts';
import { defineLifecycleOperation } from '../lifecycle-operation.ts';

export default defineLifecycleOperation({
	id: 'nextpanel-unsuspend',
	title: 'Unsuspend hosting',
	statuses: ['suspended'],
	doing: 'unsuspend',
	act: (runtime, id, _options, accountability) => unsuspendAccount(runtime, id, accountability),
});
