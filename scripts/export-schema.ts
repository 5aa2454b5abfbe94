// `npm run schema:export`: writes the plugin's part of the live database's schema back to
// snapshots/schema.yaml, for whoever changed the plugin's collections in the app and wants the
// change reviewed and committed. Only the plugin's collections (and the customer collection it
// attaches to) are written; whatever else the project holds stays out of the reference.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { assertNode22, directusEnv, runDirectusCli } from './lib/directus-process.ts';
import { snapshotPath } from './lib/paths.ts';
import { loadProjectEnv } from './lib/project-env.ts';
import { pluginPart, type Snapshot } from './lib/schema-types.ts';

assertNode22();
loadProjectEnv({ createIfMissing: false });
const target = process.argv[2] ?? snapshotPath;
const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-schema-'));
try {
	const file = join(tmp, 'snapshot.yaml');
	await runDirectusCli(['schema', 'snapshot', '--yes', file], directusEnv());
	const snapshot = parse(readFileSync(file, 'utf8')) as Snapshot;
	writeFileSync(target, stringify(pluginPart(snapshot, process.env['NEXTPANEL_CUSTOMERS_COLLECTION'] ?? 'customers'), { lineWidth: 0 }));
	console.log(`The plugin's schema was written to ${target}. Review the diff before committing.`);
} finally {
	rmSync(tmp, { recursive: true, force: true });
}
