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
