// `npm run flows:import -- [file.json ...]`: adds the example flows from docs/flows to a running
// Directus (URL and admin credentials from the environment / .env, as for `npm start`).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { authentication, createDirectus, rest } from '@directus/sdk';
import { importFlow, readFlowFile } from './lib/flow-import.ts';
import { projectRoot } from './lib/paths.ts';
import { loadProjectEnv } from './lib/project-env.ts';

loadProjectEnv({ createIfMissing: false });
const url = process.env['PUBLIC_URL']!;
const files = process.argv.slice(2).length
	? process.argv.slice(2)
	: readdirSync(join(projectRoot, 'docs', 'flows'))
			.filter((f) => f.endsWith('.json'))
			.map((f) => join(projectRoot, 'docs', 'flows', f));
const client = createDirectus(url)
	.with(authentication('json', { autoRefresh: false }))
	.with(rest());
await client.login({ email: process.env['ADMIN_EMAIL']!, password: process.env['ADMIN_PASSWORD']! });
for (const file of files) {
	const id = await importFlow(client, readFlowFile(file));
	console.log(`Imported ${file} as flow ${id}`);
}
