import { terminateAccount } from '../../core/provisioning/lifecycle.ts';
import { defineLifecycleOperation } from '../lifecycle-operation.ts';

export default defineLifecycleOperation({
	id: 'nextpanel-terminate',
	title: 'Terminate hosting',
	statuses: ['pending', 'failed', 'active', 'suspended'],
	doing: 'terminate',
	act: (runtime, id, _options, accountability) => terminateAccount(runtime, id, accountability),
});
