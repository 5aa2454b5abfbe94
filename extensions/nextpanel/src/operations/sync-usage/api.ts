import { syncUsage } from '../../core/provisioning/lifecycle.ts';
import { defineLifecycleOperation } from '../lifecycle-operation.ts';

export default defineLifecycleOperation({
	id: 'nextpanel-sync-usage',
	title: 'Sync hosting usage',
	statuses: ['active', 'suspended'],
	doing: 'sync usage of',
	act: (runtime, id, _options, accountability) => syncUsage(runtime, id, accountability),
});
