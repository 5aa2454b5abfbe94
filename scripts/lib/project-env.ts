// The one place that turns `.env` + the real environment into the environment Directus runs
// with, shared by `npm start`, `npm run schema:export` and the CLI tools.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createEnvFile, fillEnvGaps, readEnvFile, type NewEnvFile } from './env-file.ts';
import { projectRoot } from './paths.ts';

export interface ProjectEnv {
	envFile: string;
	created: NewEnvFile | null;
}

export function loadProjectEnv({ createIfMissing }: { createIfMissing: boolean }): ProjectEnv {
	// A caller-provided CONFIG_PATH names the gap-filling file, as it would for Directus itself.
	const envFile = resolve(process.env['CONFIG_PATH'] ?? join(projectRoot, '.env'));
	delete process.env['CONFIG_PATH'];
	const created = !existsSync(envFile) && createIfMissing ? createEnvFile(envFile) : null;
	fillEnvGaps(readEnvFile(envFile));
	applyProjectDefaults();
	return { envFile, created };
}

function applyProjectDefaults(): void {
	const env = process.env;
	env['DB_CLIENT'] ??= 'sqlite3';
	env['HOST'] ??= '127.0.0.1';
	env['PORT'] ??= '8055';
	env['PUBLIC_URL'] ??= `http://${env['HOST'] === '0.0.0.0' ? 'localhost' : env['HOST']}:${env['PORT']}`;
	env['STORAGE_LOCAL_ROOT'] ??= join(projectRoot, 'data', 'uploads');
	if (env['DB_CLIENT'] === 'sqlite3') {
		env['DB_FILENAME'] ??= './data/database.db';
		if (!isAbsolute(env['DB_FILENAME'])) env['DB_FILENAME'] = join(projectRoot, env['DB_FILENAME']);
		mkdirSync(dirname(env['DB_FILENAME']), { recursive: true });
	}
	mkdirSync(env['STORAGE_LOCAL_ROOT'], { recursive: true });
	mkdirSync(join(projectRoot, 'data'), { recursive: true });
}
