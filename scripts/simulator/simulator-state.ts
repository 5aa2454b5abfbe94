// What the control API reaches into: the simulator's state and its up/down/reset switches. Its
// own module so the control API and the server that hosts it need not import each other.
import type { AccountStore } from './accounts.ts';
import type { KeyStore } from './auth.ts';
import type { BillingFeatures } from './billing-api.ts';
import type { CallLog } from './call-log.ts';
import type { FaultRules } from './faults.ts';

export interface SimulatorState {
	readonly apiUrl: string;
	readonly version: string;
	/** The state, for in-process tests that want to look or reach in directly. */
	readonly accounts: AccountStore;
	readonly keys: KeyStore;
	readonly faults: FaultRules;
	readonly calls: CallLog;
	readonly features: BillingFeatures;
	readonly now: () => number;
	isUp(): boolean;
	/** Stops listening on the API port and drops its connections: clients get "connection refused". */
	down(): Promise<void>;
	/** Listens on the same API port again. */
	up(): Promise<void>;
	/** Forgets accounts, calls and faults, restores the seed keys and features, and comes back up. */
	reset(): Promise<void>;
}
