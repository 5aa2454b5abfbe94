// Boots the real thing once per test run: a fresh database (SQLite, or PostgreSQL with
// TEST_DB=pg), three NextPanel simulators, an SMTP receiver, and Directus with the built bundle
// and the schema snapshot on a random port. Torn down after the run.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectus, createPolicy, createRole, createUser, rest, staticToken } from '@directus/sdk';
import type { TestProject } from 'vitest/node';
import { buildBundleIfStale } from '../../../../scripts/lib/bundle-build.ts';
import { assertNode22, directusEnv, prepareDatabase, startDirectusServer } from '../../../../scripts/lib/directus-process.ts';
import { snapshotPath } from '../../../../scripts/lib/paths.ts';
import { ensureOperatorPolicy } from '../../../../scripts/lib/policies.ts';
import { prepareProjectSettings } from '../../../../scripts/lib/project-setup.ts';
import { createSimulator } from '../../../../scripts/simulator/server.ts';
import { createTestDatabase } from './databases.ts';
import type { HarnessInfo } from './info.ts';
import { startSmtpReceiver } from './smtp-receiver.ts';

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

/** Directus settings for tests: fast timeouts and a fast retry schedule; the other jobs are run on demand. */
export function testDirectusSettings(overrides: Record<string, string> = {}): Record<string, string> {
	return {
		HOST: '127.0.0.1',
		KEY: randomBytes(16).toString('hex'),
		SECRET: randomBytes(32).toString('hex'),
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
		NEXTPANEL_HEALTH_SCHEDULE: '0 0 0 1 1 *',
		...overrides,
	};
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	assertNode22();
	buildBundleIfStale();
	const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-test-'));
	const database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', tmp);
	const mailbox = join(tmp, 'mailbox');
	const smtp = await startSmtpReceiver(mailbox);
	const [a, b, c] = await Promise.all([0, 1, 2].map(() => createSimulator({ port: 0, controlPort: 0, keys: [] })));

	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const adminEmail = 'admin@example.com';
	const adminPassword = randomBytes(12).toString('base64url');
	const adminToken = randomBytes(24).toString('hex');
	const encryptionKey = randomBytes(32).toString('base64');
	const env = directusEnv({
		...database.env,
		...testDirectusSettings(),
		PORT: String(port),
		PUBLIC_URL: url,
		ADMIN_EMAIL: adminEmail,
		ADMIN_PASSWORD: adminPassword,
		ADMIN_TOKEN: adminToken,
		STORAGE_LOCAL_ROOT: join(tmp, 'uploads'),
		NEXTPANEL_ENCRYPTION_KEY: encryptionKey,
		NEXTPANEL_WELCOME_MAIL: 'true',
		EMAIL_FROM: 'hosting@example.com',
		EMAIL_TRANSPORT: 'smtp',
		EMAIL_SMTP_HOST: '127.0.0.1',
		EMAIL_SMTP_PORT: String(smtp.port),
		EMAIL_SMTP_SECURE: 'false',
		EMAIL_SMTP_IGNORE_TLS: 'true',
	});

	await prepareDatabase(env, snapshotPath);
	const logFile = join(tmp, 'directus.log');
	const log = createWriteStream(logFile);
	const server = await startDirectusServer({ env, url, onLine: (line) => log.write(`${line}\n`) });

	const admin = createDirectus(url).with(staticToken(adminToken)).with(rest());
	await prepareProjectSettings(admin, adminEmail);
	const operatorPolicy = await ensureOperatorPolicy(admin);
	const operatorRole = await admin.request(createRole({ name: 'Operator', policies: { create: [{ policy: operatorPolicy }] } } as never));
	const operatorToken = randomBytes(24).toString('hex');
	await admin.request(createUser({ email: 'operator@example.com', password: randomBytes(12).toString('hex'), role: (operatorRole as { id: string }).id, token: operatorToken } as never));
	const readOnly = await admin.request(
		createPolicy({
			name: 'Read-only',
			app_access: true,
			admin_access: false,
			permissions: ['customers', 'hosting_accounts', 'nextpanel_servers'].map((collection) => ({ collection, action: 'read', fields: ['*'], permissions: {}, validation: {} })),
		} as never),
	);
	const viewerRole = await admin.request(createRole({ name: 'Viewer', policies: { create: [{ policy: (readOnly as { id: string }).id }] } } as never));
	const viewerToken = randomBytes(24).toString('hex');
	await admin.request(createUser({ email: 'viewer@example.com', password: randomBytes(12).toString('hex'), role: (viewerRole as { id: string }).id, token: viewerToken } as never));

	const info: HarnessInfo = {
		url,
		adminEmail,
		adminPassword,
		adminToken,
		operatorToken,
		viewerToken,
		simulators: { a: { apiUrl: a!.apiUrl, controlUrl: a!.controlUrl }, b: { apiUrl: b!.apiUrl, controlUrl: b!.controlUrl }, c: { apiUrl: c!.apiUrl, controlUrl: c!.controlUrl } },
		mailbox,
		logFile,
		database: database.describe,
		encryptionKey,
	};
	project.provide('harness', info);

	return async () => {
		await server.stop();
		log.end();
		await Promise.all([a, b, c].map((sim) => sim!.close()));
		await smtp.close();
		await database.drop();
		if (!process.env['KEEP_TEST_DATA']) rmSync(tmp, { recursive: true, force: true });
	};
}
