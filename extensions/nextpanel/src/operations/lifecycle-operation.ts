// The four account operations (suspend, unsuspend, terminate, sync usage) differ only in the
// states they act on and the core call they make; this builds each of them.
import { defineOperationApi } from '@directus/extensions-sdk';
import type { Accountability } from '@directus/types';
import { z } from 'zod';
import type { AccountRow } from '../core/provisioning/account-store.ts';
import type { AccountStatus } from '../core/provisioning/states.ts';
import { useRuntime, type Runtime } from '../core/runtime.ts';
import { accountabilityFor, actOnTargets, parseOptions, targetAccounts, targetOptions } from './shared-api.ts';

const optionsSchema = z.object({ ...targetOptions, reason: z.string().trim().max(255).optional() });

export type LifecycleOptions = z.infer<typeof optionsSchema>;

export interface LifecycleOperation {
	id: string;
	/** As a person would name it, for error messages: "Suspend hosting". */
	title: string;
	/** Which accounts of a customer the operation picks when given a customer. */
	statuses: AccountStatus[];
	/** The verb for permission errors: "suspend", "sync usage of". */
	doing: string;
	act: (runtime: Runtime, id: string, options: LifecycleOptions, accountability: Accountability | null) => Promise<AccountRow>;
}

export function defineLifecycleOperation(operation: LifecycleOperation) {
	return defineOperationApi({
		id: operation.id,
		handler: async (options, context) => {
			const runtime = useRuntime(context);
			const input = parseOptions(optionsSchema, options, operation.title);
			const accountability = accountabilityFor(input.permissions, context.accountability);
			const ids = await targetAccounts(runtime, await context.getSchema(), accountability, input, operation.statuses, operation.doing);
			return actOnTargets(ids, (id) => operation.act(runtime, id, input, accountability), Boolean(input.account));
		},
	});
}
