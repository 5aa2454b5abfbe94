// The production recipe: Debian's docker-compose must accept the file, and the resolved
// configuration must wire every Directus container to PostgreSQL, Redis and the bundle.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from './lib/paths.ts';

const requiredEnv = {
	KEY: 'k',
	SECRET: 's',
	ADMIN_EMAIL: 'admin@example.com',
	ADMIN_PASSWORD: 'p',
	DB_PASSWORD: 'd',
	NEXTPANEL_ENCRYPTION_KEY: 'e',
};

function compose(args: string[], env: Record<string, string> = requiredEnv) {
	return spawnSync('docker-compose', ['-f', join(projectRoot, 'docker-compose.yml'), ...args], {
		cwd: projectRoot,
		encoding: 'utf8',
		env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
	});
}

describe('docker-compose.yml', () => {
	test('is valid for docker-compose (config -q)', () => {
		const result = compose(['config', '-q']);
		expect(result.error, 'docker-compose is not installed (apt-get install -y docker-compose; .ci/run does this)').toBeUndefined();
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	test('refuses to start without the secrets it needs', () => {
		const result = compose(['config', '-q'], { ...requiredEnv, NEXTPANEL_ENCRYPTION_KEY: '' });
		expect(result.status).not.toBe(0);
		expect(result.stderr).toMatch(/NEXTPANEL_ENCRYPTION_KEY/);
	});

	test('runs several Directus replicas on PostgreSQL 16 and Redis 7 with the bundle mounted', () => {
		const result = compose(['config']);
		expect(result.status).toBe(0);
		const config = parse(result.stdout) as { services: Record<string, any> };
		const { directus, bootstrap, postgres, redis, proxy } = config.services;
		expect(directus.image).toBe('directus/directus:12.4.0');
		expect(directus.deploy.replicas).toBeGreaterThanOrEqual(2);
		expect(postgres.image).toMatch(/^postgres:16/);
		expect(redis.image).toMatch(/^redis:7/);
		// The services that stay up are health-checked (the others wait on service_healthy);
		// bootstrap is the one-shot that runs before them.
		for (const [name, service] of Object.entries({ directus, postgres, redis, proxy }))
			expect(service.healthcheck?.test?.[0], `${name} healthcheck`).toMatch(/^CMD(-SHELL)?$/);
		expect(bootstrap.command).toEqual(['node', 'cli.js', 'bootstrap']);
		expect(directus.environment).toMatchObject({
			DB_CLIENT: 'pg',
			CACHE_STORE: 'redis',
			RATE_LIMITER_STORE: 'redis',
			SYNCHRONIZATION_STORE: 'redis',
			NEXTPANEL_ENCRYPTION_KEY: 'e',
		});
		const mounts = JSON.stringify(directus.volumes);
		expect(mounts).toContain('/directus/extensions/nextpanel');
		expect(mounts).toContain('/directus/templates');
		// Only Directus's own bootstrap: a mirror-mode `schema apply` would drop what admins added.
		expect(bootstrap.command.join(' ')).toBe('node cli.js bootstrap');
		expect(JSON.stringify(config)).not.toMatch(/schema apply/);
		expect(directus.depends_on.bootstrap.condition).toBe('service_completed_successfully');
	});
});
