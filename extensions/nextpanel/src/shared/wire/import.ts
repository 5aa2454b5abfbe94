// What an import answers (dry run or apply), over REST, in Flows and to the import wizard: one row
// per NextPanel account the server has and Directus does not, with what was (or would be) done.
export type ImportSkipReason =
	| 'ambiguous_email'
	| 'username_taken'
	| 'no_email'
	| 'no_customer'
	| 'unsupported_status'
	/** NextPanel holds a name, e-mail or billing id that a hosting account or customer cannot store. */
	| 'invalid_username'
	| 'invalid_email'
	| 'invalid_billing_id'
	/** The server listed the same id (or the same username) more than once: nothing to link it to safely. */
	| 'duplicate_remote';

export interface ImportRow {
	remote_id: number;
	username: string;
	email: string | null;
	nextpanel_status: string | null;
	action: 'import' | 'skip';
	/** How the customer was found: by billing id, by e-mail, or a new one. */
	match: 'billing_id' | 'email' | 'new_customer' | null;
	customer: string | null;
	reason: ImportSkipReason | null;
	detail: string;
	hosting_account?: string;
}

export interface ImportReport {
	dry_run: boolean;
	remote_total: number;
	already_linked: number;
	counts: { import: number; skip: number; new_customers: number; by_billing_id: number; by_email: number };
	rows: ImportRow[];
	warnings: string[];
}
