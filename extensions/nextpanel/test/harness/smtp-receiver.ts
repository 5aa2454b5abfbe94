// A real SMTP server on loopback that stores every message it receives as a JSON file, so test
// files in other processes can read the mailbox.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

export async function startSmtpReceiver(mailbox: string): Promise<{ port: number; close: () => Promise<void> }> {
	mkdirSync(mailbox, { recursive: true });
	let sequence = 0;
	const server = new SMTPServer({
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
					writeFileSync(join(mailbox, `${Date.now()}-${++sequence}.json`), JSON.stringify(mail));
					callback();
				})
				.catch(callback);
		},
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function readMailbox(mailbox: string): ReceivedMail[] {
	return readdirSync(mailbox)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(readFileSync(join(mailbox, file), 'utf8')) as ReceivedMail);
}
