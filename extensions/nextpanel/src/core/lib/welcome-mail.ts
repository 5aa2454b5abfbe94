// The welcome mail: one of the two ways a generated hosting password reaches a person (the other
// is one reveal in the app). The sealed password is wiped once the mail is sent; when the mail
// fails for good it stays held, so an operator can still reveal it once.
import { SECRET_PURPOSES } from '../secret-box.ts';
import type { AccountRow } from './account-rows.ts';
import { PASSWORD_WIPED, writeAccountState, type AccountPatch, type CoreContext } from './account-state.ts';
import { customerMapping, readCustomer } from './customers.ts';

export type WelcomeMailStatus = 'pending' | 'sent' | 'failed' | 'skipped';

type MailedAccount = Pick<AccountRow, 'id' | 'customer' | 'server' | 'username' | 'password_generated'>;

export async function sendWelcomeMail(context: CoreContext, account: MailedAccount): Promise<WelcomeMailStatus> {
	return (await deliverWelcomeMail(context, account)).status;
}

/** The same, with the columns it wrote on the account (a provisioning answers from them). */
export async function deliverWelcomeMail(
	context: CoreContext,
	account: MailedAccount,
): Promise<{ status: 'sent' | 'failed'; patch: AccountPatch }> {
	const { runtime, knex } = context;
	const { config } = runtime;
	const mapping = customerMapping(config, context.schema);
	const [row, customer, server] = await Promise.all([
		knex('hosting_accounts').select('password_ciphertext', 'welcome_mail_attempts').where({ id: account.id }).first(),
		'problem' in mapping ? null : readCustomer(knex, mapping, account.customer),
		account.server ? knex('nextpanel_servers').select('name', 'panel_url').where({ id: account.server }).first() : null,
	]);
	const sealed: string | null = row?.password_ciphertext ?? null;
	const attempts = Number(row?.welcome_mail_attempts ?? 0) + 1;
	try {
		if (!sealed) throw new Error('the password is no longer held (it was revealed or mailed already), so it cannot be sent');
		if (!customer?.email) throw new Error('the customer has no e-mail address');
		const mail = new runtime.services.MailService({ schema: context.schema, knex });
		await mail.send({
			to: customer.email,
			subject: config.NEXTPANEL_WELCOME_MAIL_SUBJECT,
			template: {
				name: config.NEXTPANEL_WELCOME_MAIL_TEMPLATE,
				data: {
					full_name: customer.name,
					email: customer.email,
					username: account.username,
					password: runtime.secrets().open(sealed, SECRET_PURPOSES.hostingPassword),
					panel_url: server?.panel_url ?? '',
					server_name: server?.name ?? '',
				},
			},
		});
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		const givingUp = attempts >= config.NEXTPANEL_WELCOME_MAIL_ATTEMPTS || !sealed;
		runtime.logger.warn(`nextpanel: welcome mail for hosting account ${account.username} not sent (attempt ${attempts}): ${reason}`);
		const patch: AccountPatch = {
			welcome_mail: 'failed',
			welcome_mail_attempts: attempts,
			last_error: `Welcome mail not sent: ${reason}${
				givingUp
					? sealed && account.password_generated
						? ' Use "Show password once" to give the customer the password.'
						: ''
					: ' (it is retried automatically)'
			}`,
			// A password nobody has seen stays held for one reveal; a chosen one goes.
			...(givingUp && !account.password_generated ? PASSWORD_WIPED : {}),
		};
		await writeAccountState(context, { id: account.id, patch });
		return { status: 'failed', patch };
	}
	const patch: AccountPatch = { welcome_mail: 'sent', welcome_mail_attempts: attempts, ...PASSWORD_WIPED };
	await writeAccountState(context, { id: account.id, patch });
	return { status: 'sent', patch };
}

/** Active accounts whose welcome mail failed but may still be sent (the password is still held). */
export async function welcomeMailsToRetry(context: CoreContext, limit: number): Promise<string[]> {
	const rows = await context
		.knex('hosting_accounts')
		.select('id')
		.where({ status: 'active', welcome_mail: 'failed' })
		.where('welcome_mail_attempts', '<', context.runtime.config.NEXTPANEL_WELCOME_MAIL_ATTEMPTS)
		.whereNotNull('password_ciphertext')
		.limit(limit);
	return rows.map((r) => String(r.id));
}
