// `npm start`: everything a newcomer needs on one command. Creates `.env` on first run, builds the
// bundle when its sources changed, bootstraps/migrates Directus's tables, starts the demo
// NextPanel simulator, a local mail catcher and Directus (whose bundle installs its own schema),
// and stops them all on Ctrl-C.
import { join } from 'node:path';
import { buildBundleIfStale } from './lib/bundle-build.ts';
import { assertNode22, directusEnv, prepareDatabase, startDirectusServer, type DirectusServer } from './lib/directus-process.ts';
import { projectRoot } from './lib/paths.ts';
import { loadProjectEnv } from './lib/project-env.ts';
import { configureProject, type DemoServer } from './lib/project-setup.ts';
import { startMailCatcher, type MailCatcher } from './lib/mail-catcher.ts';
import { startSimulatorProcess, type SimulatorProcess } from './lib/simulator-process.ts';

const say = (message: string) => console.log(`[nextpanel] ${message}`);

let simulator: SimulatorProcess | null = null;
let mail: MailCatcher | null = null;
let directus: DirectusServer | null = null;
let stopping = false;

async function shutdown(code: number): Promise<never> {
	stopping = true;
	await directus?.stop();
	await simulator?.stop();
	await mail?.close();
	process.exit(code);
}

async function main(): Promise<void> {
	assertNode22();
	const { envFile, created } = loadProjectEnv({ createIfMissing: true });
	if (created) say(`Created ${envFile} with fresh secrets (keep it out of git).`);
	const env = process.env;
	if (!env['NEXTPANEL_ENCRYPTION_KEY']) throw new Error(`NEXTPANEL_ENCRYPTION_KEY is not set (in the environment or ${envFile}).`);

	if (buildBundleIfStale()) say('Built the extension bundle.');
	say(`Preparing the ${env['DB_CLIENT']} database (the bundle installs or upgrades its own collections when Directus starts)...`);
	await prepareDatabase(directusEnv());

	process.once('SIGINT', () => void shutdown(0));
	process.once('SIGTERM', () => void shutdown(0));

	let demo: DemoServer | null = null;
	if (env['NEXTPANEL_DEMO'] !== 'false' && env['NEXTPANEL_DEMO_API_KEY'] && env['NEXTPANEL_DEMO_API_SECRET']) {
		simulator = await startSimulatorProcess({
			port: Number(env['NEXTPANEL_DEMO_PORT'] ?? 4010),
			controlPort: Number(env['NEXTPANEL_DEMO_CONTROL_PORT'] ?? 4011),
			keys: [{ key: env['NEXTPANEL_DEMO_API_KEY'], secret: env['NEXTPANEL_DEMO_API_SECRET'], level: 'SUPER_ADMIN' }],
			stateFile: env['NEXTPANEL_DEMO_STATE_FILE'] ?? join(projectRoot, 'data', 'simulator-state.json'),
			onLine: (line) => console.log(`[simulator] ${line}`),
		});
		demo = { baseUrl: simulator.apiUrl, apiKey: env['NEXTPANEL_DEMO_API_KEY'], apiSecret: env['NEXTPANEL_DEMO_API_SECRET'] };
	}

	// Without mail settings of its own, the demo sends its mail to a local catcher that shows it
	// in the browser, so the welcome mail can be seen (and Directus does not try a sendmail that
	// is not installed).
	if (env['NEXTPANEL_DEMO'] !== 'false' && !env['EMAIL_TRANSPORT']) {
		mail = await startMailCatcher({
			mailbox: env['NEXTPANEL_DEMO_MAILBOX_DIR'] ?? join(projectRoot, 'data', 'mail'),
			smtpPort: Number(env['NEXTPANEL_DEMO_MAIL_PORT'] ?? 4025),
			webPort: Number(env['NEXTPANEL_DEMO_MAILBOX_PORT'] ?? 4026),
		});
		Object.assign(env, {
			EMAIL_TRANSPORT: 'smtp',
			EMAIL_SMTP_HOST: '127.0.0.1',
			EMAIL_SMTP_PORT: String(mail.smtpPort),
			EMAIL_SMTP_SECURE: 'false',
			EMAIL_SMTP_IGNORE_TLS: 'true',
			EMAIL_VERIFY_SETUP: 'false',
		});
		env['EMAIL_FROM'] ??= 'hosting@example.com';
		env['NEXTPANEL_WELCOME_MAIL'] ??= 'true';
	}

	const url = `http://${env['HOST'] === '0.0.0.0' ? '127.0.0.1' : env['HOST']}:${env['PORT']}`;
	directus = await startDirectusServer({ env: directusEnv(), url, onLine: (line) => console.log(line) });
	directus.child.on('exit', (code) => {
		if (stopping) return;
		say(`Directus stopped unexpectedly (exit code ${code}).`);
		void shutdown(code || 1);
	});

	const email = env['ADMIN_EMAIL'] ?? 'admin@example.com';
	const password = env['ADMIN_PASSWORD'] ?? '';
	const setup = await configureProject(url, email, password, demo);
	console.log('');
	say(`Directus is ready: ${env['PUBLIC_URL']}/admin`);
	if (setup.loggedIn) say(`Log in as ${email} / ${password} (from ${envFile})`);
	else
		say(`Could not log in as ${email} with ADMIN_PASSWORD from ${envFile}; project set-up skipped (was the password changed in the app?).`);
	if (simulator)
		say(
			`Demo NextPanel server (simulator): ${simulator.apiUrl} - ${setup.demoServer === 'skipped' ? 'not registered' : `registered as "Demo NextPanel (simulator)" (${setup.demoServer})`}`,
		);
	if (mail) say(`Welcome mails and notifications: ${mail.webUrl} (also kept in data/mail/; nothing leaves this machine)`);
	say('Press Ctrl-C to stop.');
}

main().catch((error: unknown) => {
	console.error(`[nextpanel] ${error instanceof Error ? error.message : String(error)}`);
	void shutdown(1);
});
