// The project's collections as @directus/sdk sees them, for typed scripts and the CLI.
export interface CustomerItem {
	id: string;
	full_name: string;
	email: string;
	company: string | null;
	phone: string | null;
	status: string;
	provision_hosting: boolean;
}

export interface HostingAccountItem {
	id: string;
	customer: string;
	server: string | null;
	username: string;
	status: string;
	date_created: string | null;
}

export interface ServerItem {
	id: string;
	name: string;
	base_url: string;
	api_key: string;
	status: string;
	capacity: number;
}

export interface ProjectSchema {
	customers: CustomerItem[];
	hosting_accounts: HostingAccountItem[];
	nextpanel_servers: ServerItem[];
}

/** A Directus schema snapshot, as `directus schema snapshot` writes it. */
export interface Snapshot {
	version: number;
	directus: string;
	vendor?: string;
	collections: { collection: string; meta: Record<string, unknown> | null; schema: Record<string, unknown> | null }[];
	fields: {
		collection: string;
		field: string;
		type: string;
		meta: Record<string, unknown> | null;
		schema: Record<string, unknown> | null;
	}[];
	relations: {
		collection: string;
		field: string;
		related_collection: string | null;
		meta: Record<string, unknown> | null;
		schema: Record<string, unknown> | null;
	}[];
	systemFields?: unknown[];
}

/** The plugin's own collections. */
export const PLUGIN_COLLECTIONS = ['nextpanel_servers', 'hosting_accounts', 'nextpanel_logs', 'nextpanel_settings'];

/** The part of a snapshot that is the plugin's: its collections, the customer collection, and their relations. */
export function pluginPart(snapshot: Snapshot, customers = 'customers'): Snapshot {
	const keep = new Set([...PLUGIN_COLLECTIONS, customers]);
	return {
		version: snapshot.version,
		directus: snapshot.directus,
		vendor: snapshot.vendor,
		collections: snapshot.collections.filter((c) => keep.has(c.collection)),
		fields: snapshot.fields.filter((f) => keep.has(f.collection)),
		relations: snapshot.relations.filter((r) => keep.has(r.collection)),
	};
}
