// Where each sealed value lives; passed to SecretBox as associated data so that a value copied
// from one column into another does not decrypt.
export const API_SECRET_PURPOSE = 'nextpanel_servers.api_secret';
export const PASSWORD_PURPOSE = 'hosting_accounts.password';
