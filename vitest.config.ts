import { defineConfig } from 'vitest/config';
import { yamlImport } from './extensions/nextpanel/yaml-import.js';

// Unit tests are pure and fast. Integration and browser tests share one real Directus that the
// harness boots for the run (SQLite, or PostgreSQL with TEST_DB=pg); their files run one after
// another because they share that Directus and its NextPanel simulators. The production profile
// (two instances, PostgreSQL, Redis) belongs to the PostgreSQL run.
const production = process.env['TEST_DB'] === 'pg';
export default defineConfig({
	plugins: [yamlImport()],
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['scripts/**/*.test.ts', 'extensions/nextpanel/src/**/*.test.ts'],
					environment: 'node',
				},
			},
			{
				test: {
					name: 'integration',
					include: ['extensions/nextpanel/test/integration/**/*.test.ts', 'extensions/nextpanel/test/e2e/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['extensions/nextpanel/test/harness/global-setup.ts'],
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 180_000,
				},
			},
			...(production
				? [
						{
							test: {
								name: 'production',
								include: ['extensions/nextpanel/test/production/**/*.test.ts'],
								environment: 'node',
								fileParallelism: false,
								testTimeout: 240_000,
								hookTimeout: 240_000,
							},
						},
					]
				: []),
		],
	},
});
