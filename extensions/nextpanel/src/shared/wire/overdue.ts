// What `GET /nextpanel/overdue` answers: what the next `overdue` run would do, and what it would
// hold back, without calling NextPanel.
import type { OverduePolicy } from '../overdue-policy.ts';

export type OverdueAction = 'remind' | 'suspend' | 'terminate';

export interface OverdueRow {
	/** The hosting account's id. */
	account: string;
	username: string;
	action: OverdueAction;
	paid_until: string;
	/** The day (YYYY-MM-DD) the action became due. */
	due_since: string;
}

export interface OverduePreview {
	/** The day the run is planned for, in the Directus server's time zone. */
	today: string;
	/**
	 * Where the policy comes from: the saved settings, or the NEXTPANEL_OVERDUE_* variables and
	 * their defaults; `no_settings_collection` when the project had no room for the settings.
	 */
	policy: OverduePolicy & { source: 'settings' | 'environment' | 'no_settings_collection' };
	/** What the run would do, oldest due first. */
	rows: OverdueRow[];
	held_back: {
		/** Due, but beyond overdue_max_actions_per_run: they wait for the next run. */
		cap: OverdueRow[];
		/** Due, but the account is marked overdue_exempt. */
		exempt: OverdueRow[];
	};
}
