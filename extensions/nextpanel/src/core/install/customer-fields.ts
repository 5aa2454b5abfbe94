// Kept apart from plugin-schema.ts (which reads the schema snapshot) so that configuration
// checks can name these fields without loading the snapshot.
/** The fields the plugin adds to a customer collection, its own or the host's. */
export const PLUGIN_CUSTOMER_FIELDS: readonly string[] = [
	'hosting',
	'hosting_panel',
	'provision_hosting',
	'hosting_server',
	'hosting_username',
	'hosting_password',
	'hosting_package',
	'hosting_accounts',
];
