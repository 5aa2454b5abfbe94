// `npm run flows:import -- [file.json ...]`: adds the example flows from docs/flows to the running
// project. It reads the same environment as `npm start` (.env, with real variables winning), so
// it finds Directus on whatever port it runs. A flow already there (same name) is left alone:
// a second import never adds a second flow, which would count against the licence's limit.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { authentication, createDirectus, readFlows, rest } from '@directus/sdk';
import { importFlow, readFlowFile } from './lib/flow-import.ts';
import { projectRoot } from './lib/paths.ts';
import { loadProjectEnv } from './lib/project-env.ts';

function fail(message: string): never {
	console.error(`flows:import: ${message}`);
	process.exit(1);
}

loadProjectEnv({ createIfMissing: false });
const url = process.env['PUBLIC_URL']!;
const files = process.argv.slice(2).length
	? process.argv.slice(2)
	: readdirSync(join(projectRoot, 'docs', 'flows'))
			.filter((f) => f.endsWith('.json'))
			.map((f) => join(projectRoot, 'docs', 'flows', f));

try {
	await fetch(`${url}/server/ping`, { signal: AbortSignal.timeout(5000) });
} catch {
	fail(`Directus is not answering at ${url}. Start it with \`npm start\` first (it reads PORT and PUBLIC_URL from the same .env).`);
}

const client = createDirectus(url)
	.with(authentication('json', { autoRefresh: false }))
	.with(rest());
try {
	await client.login({ email: process.env['ADMIN_EMAIL']!, password: process.env['ADMIN_PASSWORD']! });
} catch {
	fail(`Could not log in to ${url} as ${process.env['ADMIN_EMAIL']} with ADMIN_PASSWORD from .env (was the password changed in the app?).`);
}

for (const file of files) {
	const flow = readFlowFile(file);
	const name = String(flow.flow['name']);
	const [existing] = (await client.request(readFlows({ filter: { name: { _eq: name } }, fields: ['id'], limit: 1 }))) as { id: string }[];
	if (existing) {
		console.log(`"${name}" is already there (flow ${existing.id}); left as it is.`);
		continue;
	}
	console.log(`Imported "${name}" from ${file} as flow ${await importFlow(client, flow)}`);
}
