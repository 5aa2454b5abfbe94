// Boots throwaway Directus instances for the test harness, the production-profile tests and the
// benchmarks: random free port, test-friendly settings, the bundle (or not), output to a log file.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { directusEnv, prepareDatabase, startDirectusServer, type DirectusServer } from './directus-process.ts';

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** Directus settings for tests: fast timeouts and a fast retry schedule; the other jobs run on demand. */
export function testDirectusSettings(overrides: Record<string, string> = {}): Record<string, string> {
	return {
		HOST: '127.0.0.1',
		CACHE_ENABLED: 'false',
		RATE_LIMITER_ENABLED: 'false',
		TELEMETRY: 'false',
		LOG_LEVEL: 'info',
		LOG_STYLE: 'raw',
		EMAIL_VERIFY_SETUP: 'false',
		NEXTPANEL_CONNECT_TIMEOUT_MS: '1000',
		NEXTPANEL_TEST_TIMEOUT_MS: '1500',
		NEXTPANEL_READ_TIMEOUT_MS: '2000',
		NEXTPANEL_WRITE_TIMEOUT_MS: '2000',
		NEXTPANEL_RETRY_ATTEMPTS: '3',
		NEXTPANEL_RETRY_BASE_MS: '40',
		NEXTPANEL_RETRY_MAX_MS: '400',
		NEXTPANEL_LEASE_MS: '15000',
		NEXTPANEL_RETRY_SCHEDULE: '*/2 * * * * *',
		NEXTPANEL_USAGE_SCHEDULE: '0 0 0 1 1 *',
		// The job's pace for a real server (2 calls a second) would only slow the tests down.
		NEXTPANEL_USAGE_RATE_PER_SECOND: '100',
		NEXTPANEL_HEALTH_SCHEDULE: '0 0 0 1 1 *',
		NEXTPANEL_DRIFT_SCHEDULE: 'off',
		...overrides,
	};
}

export interface StackCredentials {
	key: string;
	secret: string;
	adminEmail: string;
	adminPassword: string;
	adminToken: string;
	encryptionKey: string;
}

export function newCredentials(): StackCredentials {
	return {
		key: randomBytes(16).toString('hex'),
		secret: randomBytes(32).toString('hex'),
		adminEmail: 'admin@example.com',
		adminPassword: randomBytes(12).toString('base64url'),
		adminToken: randomBytes(24).toString('hex'),
		encryptionKey: randomBytes(32).toString('base64'),
	};
}

export interface BootOptions {
	/** DB_* variables of the database to use. */
	database: Record<string, string>;
	credentials: StackCredentials;
	tmp: string;
	name: string;
	/** Folder Directus loads extensions from; an empty folder runs Directus without the bundle. */
	extensionsPath?: string;
	env?: Record<string, string>;
	/** Bootstrap Directus's own tables first (once per database); the bundle installs its schema at start. */
	prepare?: boolean;
}

export interface BootedDirectus extends DirectusServer {
	logFile: string;
	env: NodeJS.ProcessEnv;
}

export async function bootDirectus(options: BootOptions): Promise<BootedDirectus> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const { credentials } = options;
	const env = directusEnv({
		...options.database,
		...testDirectusSettings(),
		KEY: credentials.key,
		SECRET: credentials.secret,
		ADMIN_EMAIL: credentials.adminEmail,
		ADMIN_PASSWORD: credentials.adminPassword,
		ADMIN_TOKEN: credentials.adminToken,
		NEXTPANEL_ENCRYPTION_KEY: credentials.encryptionKey,
		STORAGE_LOCAL_ROOT: join(options.tmp, 'uploads'),
		// Directus writes the app code of the extensions it loads here; by default it is under
		// node_modules, which other checkouts may share.
		TEMP_PATH: join(options.tmp, `${options.name}-temp`),
		PORT: String(port),
		PUBLIC_URL: url,
		...(options.extensionsPath ? { EXTENSIONS_PATH: options.extensionsPath } : {}),
		...options.env,
	});
	if (options.prepare) await prepareDatabase(env);
	const logFile = join(options.tmp, `${options.name}.log`);
	const log = createWriteStream(logFile);
	const server = await startDirectusServer({ env, url, onLine: (line) => log.write(`${line}\n`) });
	server.child.once('exit', () => log.end());
	return { ...server, logFile, env };
}
