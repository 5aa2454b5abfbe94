// Boots the real thing once per test run: a fresh database (SQLite, or PostgreSQL with
// TEST_DB=pg), three NextPanel simulators, an SMTP receiver, and Directus with the built bundle
// on a random port; the bundle installs its own schema when Directus starts. Torn down after the run.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectus, createPolicy, createRole, createUser, rest, staticToken } from '@directus/sdk';
import type { TestProject } from 'vitest/node';
import { buildBundleIfStale } from '../../../../scripts/lib/bundle-build.ts';
import { assertNode22 } from '../../../../scripts/lib/directus-process.ts';
import { operatorPolicyId } from '../../../../scripts/lib/policies.ts';
import { claimProject } from '../../../../scripts/lib/project-setup.ts';
import { bootDirectus, newCredentials } from '../../../../scripts/lib/stack.ts';
import { createSimulator } from '../../../../scripts/simulator/server.ts';
import { createTestDatabase } from '../../../../scripts/lib/throwaway-database.ts';
import type { HarnessInfo } from './info.ts';
import { startMailCatcher } from '../../../../scripts/lib/mail-catcher.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	assertNode22();
	buildBundleIfStale();
	const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-test-'));
	const database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', tmp);
	const mailbox = join(tmp, 'mailbox');
	const smtp = await startMailCatcher({ mailbox });
	const [a, b, c] = await Promise.all([0, 1, 2].map(() => createSimulator({ port: 0, controlPort: 0, keys: [] })));

	const credentials = newCredentials();
	const { adminEmail, adminPassword, adminToken, encryptionKey } = credentials;
	const server = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name: 'directus',
		prepare: true,
		env: {
			NEXTPANEL_WELCOME_MAIL: 'true',
			EMAIL_FROM: 'hosting@example.com',
			EMAIL_TRANSPORT: 'smtp',
			EMAIL_SMTP_HOST: '127.0.0.1',
			EMAIL_SMTP_PORT: String(smtp.smtpPort),
			EMAIL_SMTP_SECURE: 'false',
			EMAIL_SMTP_IGNORE_TLS: 'true',
		},
	});
	const { url, logFile } = server;

	const admin = createDirectus(url).with(staticToken(adminToken)).with(rest());
	await claimProject(admin, adminEmail);
	const operatorPolicy = await operatorPolicyId(admin);
	const operatorRole = await admin.request(createRole({ name: 'Operator', policies: { create: [{ policy: operatorPolicy }] } } as never));
	const operatorToken = randomBytes(24).toString('hex');
	await admin.request(
		createUser({
			email: 'operator@example.com',
			password: randomBytes(12).toString('hex'),
			role: (operatorRole as { id: string }).id,
			token: operatorToken,
		} as never),
	);
	const readOnly = await admin.request(
		createPolicy({
			name: 'Read-only',
			app_access: true,
			admin_access: false,
			permissions: ['customers', 'hosting_accounts', 'nextpanel_servers'].map((collection) => ({
				collection,
				action: 'read',
				fields: ['*'],
				permissions: {},
				validation: {},
			})),
		} as never),
	);
	const viewerRole = await admin.request(
		createRole({ name: 'Viewer', policies: { create: [{ policy: (readOnly as { id: string }).id }] } } as never),
	);
	const viewerToken = randomBytes(24).toString('hex');
	await admin.request(
		createUser({
			email: 'viewer@example.com',
			password: randomBytes(12).toString('hex'),
			role: (viewerRole as { id: string }).id,
			token: viewerToken,
		} as never),
	);

	const info: HarnessInfo = {
		url,
		adminEmail,
		adminPassword,
		adminToken,
		operatorToken,
		viewerToken,
		simulators: {
			a: { apiUrl: a!.apiUrl, controlUrl: a!.controlUrl },
			b: { apiUrl: b!.apiUrl, controlUrl: b!.controlUrl },
			c: { apiUrl: c!.apiUrl, controlUrl: c!.controlUrl },
		},
		mailbox,
		logFile,
		database: database.describe,
		databaseEnv: database.env,
		encryptionKey,
	};
	project.provide('harness', info);

	return async () => {
		await server.stop();
		await Promise.all([a, b, c].map((sim) => sim!.close()));
		await smtp.close();
		await database.drop();
		if (!process.env['KEEP_TEST_DATA']) rmSync(tmp, { recursive: true, force: true });
	};
}
