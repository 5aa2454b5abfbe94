// `npm run schema:export`: writes the live database's schema back to snapshots/schema.yaml, for
// whoever changed collections or fields in the app and wants to commit the change.
import { assertNode22, directusEnv, runDirectusCli } from './lib/directus-process.ts';
import { snapshotPath } from './lib/paths.ts';
import { loadProjectEnv } from './lib/project-env.ts';

assertNode22();
loadProjectEnv({ createIfMissing: false });
const target = process.argv[2] ?? snapshotPath;
await runDirectusCli(['schema', 'snapshot', '--yes', target], directusEnv());
console.log(`Schema written to ${target}. Review the diff before committing.`);
