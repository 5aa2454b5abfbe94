// Directus's own loader lets a config file override real environment variables. Deployment
// tools (and people) expect the opposite, so start-up reads the file itself, fills only the
// gaps, and then points Directus at no config file at all.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export function readEnvFile(path: string): Record<string, string> {
	if (!existsSync(path)) return {};
	return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

/** Copies values from the file into `target` where `target` has none; returns the keys it filled. */
export function fillEnvGaps(values: Record<string, string>, target: NodeJS.ProcessEnv = process.env): string[] {
	const filled: string[] = [];
	for (const [key, value] of Object.entries(values)) {
		if (target[key] === undefined) {
			target[key] = value;
			filled.push(key);
		}
	}
	return filled;
}

export function randomSecret(bytes = 32): string {
	return randomBytes(bytes).toString('base64url');
}

export interface NewEnvFile {
	path: string;
	adminEmail: string;
	adminPassword: string;
}

/**
 * Writes a first `.env` with fresh secrets. Values already present in the environment are
 * not written, so `ADMIN_PASSWORD=... npm start` on a new clone keeps the caller's choice.
 */
export function createEnvFile(path: string, env: NodeJS.ProcessEnv = process.env): NewEnvFile {
	const adminEmail = env['ADMIN_EMAIL'] ?? 'admin@example.com';
	const adminPassword = env['ADMIN_PASSWORD'] ?? randomSecret(12);
	const defaults: [string, string, string?][] = [
		['KEY', randomSecret(), 'Directus instance key'],
		['SECRET', randomSecret(), 'Signs Directus tokens; changing it logs everybody out'],
		[
			'NEXTPANEL_ENCRYPTION_KEY',
			randomBytes(32).toString('base64'),
			'AES-256-GCM key for NextPanel API secrets and pending hosting passwords. Losing it makes stored secrets unreadable.',
		],
		['ADMIN_EMAIL', adminEmail],
		['ADMIN_PASSWORD', adminPassword, 'Used only when the database is first created'],
		['DB_CLIENT', 'sqlite3'],
		['DB_FILENAME', './data/database.db'],
		['HOST', '127.0.0.1'],
		['PORT', '8055'],
		['NEXTPANEL_DEMO_API_KEY', `npk_${randomSecret(12)}`, 'Demo NextPanel simulator credentials (SUPER_ADMIN)'],
		['NEXTPANEL_DEMO_API_SECRET', `nps_${randomSecret(24)}`],
	];
	const lines = ['# Created by `npm start`. Never commit this file.', '# Real environment variables win over the values below.', ''];
	for (const [key, value, comment] of defaults) {
		if (comment) lines.push(`# ${comment}`);
		lines.push(`${env[key] !== undefined ? '# ' : ''}${key}=${value}`);
	}
	writeFileSync(path, lines.join('\n') + '\n', { mode: 0o600 });
	return { path, adminEmail, adminPassword };
}
