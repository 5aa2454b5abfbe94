// A real SMTP server on loopback that keeps every message it receives as a JSON file, for the
// demo of `npm start` (where welcome mails can be read in a browser) and for the tests (which
// read the mailbox from other processes). Nothing is ever delivered anywhere else.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
	from: string;
	to: string[];
	subject: string;
	text: string;
	html: string;
	receivedAt: string;
}

export interface MailCatcher {
	smtpPort: number;
	/** The page that lists the mails, when one was asked for. */
	webUrl: string | null;
	close(): Promise<void>;
}

export function readMailbox(mailbox: string): ReceivedMail[] {
	return readdirSync(mailbox)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(readFileSync(join(mailbox, file), 'utf8')) as ReceivedMail);
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The newest mail first, each with its plain text, on one page a person can keep open. */
function mailboxPage(mails: ReceivedMail[]): string {
	const items = [...mails]
		.reverse()
		.map(
			(mail) =>
				`<article><header><strong>${escape(mail.subject || '(no subject)')}</strong><span>to ${escape(mail.to.join(', '))} · ${escape(
					new Date(mail.receivedAt).toLocaleString(),
				)}</span></header><pre>${escape(mail.text)}</pre></article>`,
		)
		.join('');
	return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Demo mailbox</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:32px auto;padding:0 16px;color:#172940}
h1{font-size:22px}article{border:1px solid #d3dae4;border-radius:6px;margin:16px 0;padding:12px 16px}
header{display:flex;flex-wrap:wrap;gap:12px;justify-content:space-between}header span{color:#5b6b80}pre{white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace}
</style></head><body><h1>Demo mailbox</h1><p>Mails Directus sent while <code>npm start</code> runs (the welcome mails of new hosting accounts). Nothing leaves this machine. The page refreshes itself.</p>${
		items || '<p><em>No mail yet: create a customer with "Provision hosting" ticked.</em></p>'
	}</body></html>`;
}

export async function startMailCatcher(options: {
	mailbox: string;
	smtpPort?: number;
	webPort?: number;
	host?: string;
}): Promise<MailCatcher> {
	const host = options.host ?? '127.0.0.1';
	mkdirSync(options.mailbox, { recursive: true });
	let sequence = 0;
	const smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					const mail: ReceivedMail = {
						from: parsed.from?.text ?? '',
						to: session.envelope.rcptTo.map((r) => r.address),
						subject: parsed.subject ?? '',
						text: parsed.text ?? '',
						html: typeof parsed.html === 'string' ? parsed.html : '',
						receivedAt: new Date().toISOString(),
					};
					writeFileSync(join(options.mailbox, `${Date.now()}-${++sequence}.json`), JSON.stringify(mail));
					callback();
				})
				.catch(callback);
		},
	});
	await new Promise<void>((resolve, reject) => {
		smtp.server.once('error', reject);
		smtp.listen(options.smtpPort ?? 0, host, resolve);
	});
	const address = smtp.server.address();
	const smtpPort = typeof address === 'object' && address ? address.port : 0;

	let web: Server | null = null;
	if (options.webPort !== undefined) {
		web = createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			res.end(mailboxPage(readMailbox(options.mailbox)));
		});
		await new Promise<void>((resolve, reject) => {
			web!.once('error', reject);
			web!.listen(options.webPort, host, resolve);
		});
	}
	const webAddress = web?.address();
	return {
		smtpPort,
		webUrl: webAddress && typeof webAddress === 'object' ? `http://${host}:${webAddress.port}` : null,
		close: async () => {
			await new Promise<void>((resolve) => smtp.close(() => resolve()));
			if (web) await new Promise<void>((resolve) => web!.close(() => resolve()));
		},
	};
}
