import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const extensionsPath = join(projectRoot, 'extensions');
export const bundlePath = join(extensionsPath, 'nextpanel');
export const snapshotPath = join(projectRoot, 'snapshots', 'schema.yaml');
export const templatesPath = join(projectRoot, 'templates');
export const directusCliPath = join(projectRoot, 'node_modules', '@directus', 'api', 'dist', 'cli', 'run.js');
export const simulatorEntry = join(projectRoot, 'scripts', 'simulator', 'index.ts');
// Points Directus's CONFIG_PATH somewhere that never exists: start-up has already merged the
// .env file into the environment with the environment winning (see env-file.ts).
export const noConfigFile = join(projectRoot, 'data', '.config-merged-into-environment');
