// The welcome mail is the one place a hosting password leaves the system. The sealed password
// is kept only until the mail is sent (or has failed for good) and is wiped right after.
import type { Runtime } from '../runtime.ts';
import { readSealedPassword, type AccountRow } from './account-store.ts';
import { writeAccountState } from './account-writer.ts';

import { PASSWORD_PURPOSE } from '../secret-purposes.ts';

export type WelcomeMailStatus = 'pending' | 'sent' | 'failed' | 'skipped';

export async function sendWelcomeMail(
	runtime: Runtime,
	account: Pick<AccountRow, 'id' | 'customer' | 'server' | 'username'>,
): Promise<WelcomeMailStatus> {
	const { config } = runtime;
	if (!config.NEXTPANEL_WELCOME_MAIL) {
		await writeAccountState(runtime, account.id, { welcome_mail: 'skipped', password_ciphertext: null }, null);
		return 'skipped';
	}
	const sealed = await readSealedPassword(runtime, account.id);
	const [customer, server, row] = await Promise.all([
		runtime.database('customers').select('full_name', 'email').where({ id: account.customer }).first(),
		account.server ? runtime.database('nextpanel_servers').select('name', 'base_url').where({ id: account.server }).first() : null,
		runtime.database('hosting_accounts').select('welcome_mail_attempts').where({ id: account.id }).first(),
	]);
	const attempts = Number(row?.welcome_mail_attempts ?? 0) + 1;
	try {
		if (!sealed) throw new Error('the password is no longer stored, so it cannot be sent');
		if (!customer?.email) throw new Error('the customer has no email address');
		const schema = await runtime.getSchema();
		const mail = new runtime.services.MailService({ schema, knex: runtime.database });
		await mail.send({
			to: customer.email,
			subject: config.NEXTPANEL_WELCOME_MAIL_SUBJECT,
			template: {
				name: config.NEXTPANEL_WELCOME_MAIL_TEMPLATE,
				data: {
					full_name: customer.full_name,
					email: customer.email,
					username: account.username,
					password: runtime.secrets.open(sealed, PASSWORD_PURPOSE),
					panel_url: server?.base_url ?? '',
					server_name: server?.name ?? '',
				},
			},
		});
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		const givingUp = attempts >= config.NEXTPANEL_WELCOME_MAIL_ATTEMPTS || !sealed;
		runtime.logger.warn(`nextpanel: welcome mail for hosting account ${account.username} not sent (attempt ${attempts}): ${reason}`);
		await writeAccountState(
			runtime,
			account.id,
			{
				welcome_mail: 'failed',
				welcome_mail_attempts: attempts,
				last_error: `Welcome mail not sent: ${reason}${givingUp ? '' : ' (it is retried automatically)'}`,
				...(givingUp ? { password_ciphertext: null } : {}),
			},
			null,
		);
		return 'failed';
	}
	await writeAccountState(runtime, account.id, { welcome_mail: 'sent', welcome_mail_attempts: attempts, password_ciphertext: null }, null);
	return 'sent';
}

/** Active accounts whose welcome mail failed but may still be sent (the password is still held). */
export async function welcomeMailsToRetry(runtime: Runtime, limit: number): Promise<AccountRow['id'][]> {
	const rows = await runtime
		.database('hosting_accounts')
		.select('id')
		.where({ status: 'active', welcome_mail: 'failed' })
		.whereNotNull('password_ciphertext')
		.limit(limit);
	return rows.map((r) => String(r.id));
}
