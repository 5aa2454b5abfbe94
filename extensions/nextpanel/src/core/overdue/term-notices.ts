// The customer's mails of a term: a reminder before paid_until, and notices of the suspension and
// the termination, each once per term (the term is its paid_until). They go through Directus's
// mailer with templates an administrator may override in the project's EMAIL_TEMPLATES_PATH, like
// the welcome mail. A mail that cannot be sent is logged and tried again on the next run.
import type { OverduePolicy } from '../../shared/overdue-policy.ts';
import type { CoreContext } from '../lib/account-state.ts';
import { customerMapping, readCustomer } from '../lib/customers.ts';
import { noticesOf, type OverdueNotices } from './overdue-plan.ts';
import { addDays, dayOf } from './term-dates.ts';

export type TermNotice = 'reminder' | 'suspended' | 'terminated';

const MARK: Record<TermNotice, keyof OverdueNotices> = {
	reminder: 'reminded_for',
	suspended: 'suspended_for',
	terminated: 'terminated_for',
};

const SUBJECTS: Record<TermNotice, (paidUntil: string) => string> = {
	reminder: (paidUntil) => `Your hosting term ends on ${paidUntil}`,
	suspended: () => 'Your hosting account is suspended',
	terminated: () => 'Your hosting account has been closed',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type NoticeData = Record<'full_name' | 'username' | 'server_name' | 'paid_until' | 'suspends_on' | 'terminates_on', string>;

/** The words of each mail when the project has no template of that name (a host project without the demo's templates). */
const BUILT_IN: Record<TermNotice, (data: NoticeData) => string[]> = {
	reminder: (d) => [
		`Your hosting account ${d.username} on ${d.server_name} is paid until ${d.paid_until}.`,
		`Please renew it before then, so that it keeps running. If it is not renewed, it is suspended on ${d.suspends_on}.`,
	],
	suspended: (d) => [
		`Your hosting account ${d.username} on ${d.server_name} was paid until ${d.paid_until} and has been suspended. Your files and data are kept, and the account comes back by itself as soon as the term is renewed.`,
		...(d.terminates_on ? [`If it is not renewed, the account and its data are deleted on ${d.terminates_on}.`] : []),
	],
	terminated: (d) => [
		`Your hosting account ${d.username} on ${d.server_name} was paid until ${d.paid_until}, was suspended, and has now been closed, with its data.`,
	],
};

export function builtInHtml(notice: TermNotice, data: NoticeData): string {
	return [`<p>Hello ${escapeHtml(data.full_name)},</p>`, ...BUILT_IN[notice](data).map((line) => `<p>${escapeHtml(line)}</p>`)].join('\n');
}

/** Sends one notice of the account's current term unless it went out already; true when it was sent now. */
export async function sendTermNotice(
	context: CoreContext,
	{ accountId, notice, policy }: { accountId: string; notice: TermNotice; policy: OverduePolicy },
): Promise<boolean> {
	const { runtime, knex, schema } = context;
	if (!runtime.config.NEXTPANEL_OVERDUE_MAIL) return false;
	const account = await knex('hosting_accounts')
		.select('id', 'username', 'customer', 'server', 'paid_until', 'overdue_notices')
		.where({ id: accountId })
		.first();
	const paidUntil = dayOf(account?.paid_until);
	if (!account || !paidUntil) return false;
	const notices = noticesOf(account.overdue_notices);
	if (notices[MARK[notice]] === paidUntil) return false;
	const mapping = customerMapping(runtime.config, schema);
	const customer = 'problem' in mapping || account.customer === null ? null : await readCustomer(knex, mapping, String(account.customer));
	if (!customer?.email) {
		runtime.logger.warn(`nextpanel: no ${notice} mail for hosting account ${account.username}: its customer has no e-mail address`);
		return false;
	}
	const server = account.server ? await knex('nextpanel_servers').select('name').where({ id: account.server }).first() : null;
	const terminateDays = policy.overdue_terminate_after_days;
	const data: NoticeData = {
		full_name: customer.name ?? '',
		username: account.username,
		server_name: server?.name ?? '',
		paid_until: paidUntil,
		suspends_on: addDays(paidUntil, policy.overdue_suspend_after_days + 1),
		terminates_on: terminateDays === null ? '' : addDays(paidUntil, terminateDays + 1),
	};
	const mail = new runtime.services.MailService({ schema, knex });
	const message = { to: customer.email, subject: SUBJECTS[notice](paidUntil) };
	try {
		try {
			await mail.send({ ...message, template: { name: `nextpanel-term-${notice}`, data } });
		} catch (error) {
			if (!/doesn't exist/.test(error instanceof Error ? error.message : String(error))) throw error;
			await mail.send({ ...message, html: builtInHtml(notice, data) });
		}
	} catch (error) {
		runtime.logger.warn(
			`nextpanel: ${notice} mail for hosting account ${account.username} not sent (tried again on the next run): ${error instanceof Error ? error.message : String(error)}`,
		);
		return false;
	}
	await knex('hosting_accounts')
		.where({ id: accountId })
		.update({ overdue_notices: JSON.stringify({ ...notices, [MARK[notice]]: paidUntil }) });
	return true;
}
