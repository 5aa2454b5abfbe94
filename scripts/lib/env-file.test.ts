import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createEnvFile, fillEnvGaps, readEnvFile } from './env-file.ts';

describe('.env handling', () => {
	test('the real environment wins; the file only fills gaps', () => {
		const target: NodeJS.ProcessEnv = { PORT: '9000' };
		const filled = fillEnvGaps({ PORT: '8055', KEY: 'from-file' }, target);
		expect(target).toEqual({ PORT: '9000', KEY: 'from-file' });
		expect(filled).toEqual(['KEY']);
	});

	test('a new .env gets fresh secrets, is private, and keeps values the environment already sets', () => {
		const dir = mkdtempSync(join(tmpdir(), 'env-'));
		const a = createEnvFile(join(dir, 'a.env'), {});
		const b = createEnvFile(join(dir, 'b.env'), { ADMIN_PASSWORD: 'chosen' });
		const first = readEnvFile(a.path);
		const second = readEnvFile(b.path);
		expect(first['KEY']).not.toBe(second['KEY']);
		expect(Buffer.from(first['NEXTPANEL_ENCRYPTION_KEY']!, 'base64')).toHaveLength(32);
		expect(b.adminPassword).toBe('chosen');
		expect(readFileSync(b.path, 'utf8')).toContain('# ADMIN_PASSWORD=chosen');
		expect(second['ADMIN_PASSWORD']).toBeUndefined();
		expect(statSync(a.path).mode & 0o777).toBe(0o600);
	});
});
