// What `POST /nextpanel/uninstall` and `/nextpanel/repair` answer, dry run or apply: the one plan
// that the dry run shows and the apply carries out.
export interface RemovalPlan {
	mode: 'uninstall' | 'repair';
	/** The plugin's collections, with the rows each holds now. */
	collections: { collection: string; rows: number }[];
	/** Fields the plugin added to the host's collections, as `collection.field`. */
	fields: string[];
	relations: string[];
	policies: { id: string; name: string }[];
	presets: number[];
	module_bar: boolean;
	/**
	 * The Insights dashboards the plugin created: their NextPanel panels go, and the dashboard
	 * with them unless it holds panels an administrator added (`kept_panels`), which stay.
	 */
	dashboards: { id: string; name: string; panels: number; kept_panels: number }[];
	/** The flows the plugin created ("NextPanel: hosting action"), with their operations. */
	flows: { id: string; name: string }[];
	/** What an earlier version put on a Directus system collection, undone by both modes. */
	repairs: string[];
	/** What stops the apply; a dry run lists them too. */
	blockers: string[];
	/** What an administrator should know before applying. */
	notes: string[];
}

export interface RemovalReport {
	dry_run: boolean;
	applied: boolean;
	plan: RemovalPlan;
}
