import { suspendAccount } from '../../core/provisioning/lifecycle.ts';
import { defineLifecycleOperation } from '../lifecycle-operation.ts';

export default defineLifecycleOperation({
	id: 'nextpanel-suspend',
	title: 'Suspend hosting',
	statuses: ['active'],
	doing: 'suspend',
	act: (runtime, id, options, accountability) => suspendAccount(runtime, id, options.reason || null, accountability),
});
