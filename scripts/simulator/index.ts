// `npm run simulator -- --port 4010 --key npk_x:nps_y:SUPER_ADMIN`: a standalone NextPanel
// simulator. Prints one JSON line once listening, so a parent process can learn its ports.
import { parseArgs } from 'node:util';
import { parseKeySpec } from './keys.ts';
import { createSimulator } from './server.ts';

const { values } = parseArgs({
	options: {
		port: { type: 'string' },
		'control-port': { type: 'string' },
		host: { type: 'string' },
		key: { type: 'string', multiple: true },
		'state-file': { type: 'string' },
		version: { type: 'string' },
	},
});
const env = process.env;
const specs = [...(values.key ?? []), ...(env['NEXTPANEL_SIM_KEYS'] ?? '').split(',').filter(Boolean)];
if (specs.length === 0) {
	console.error('The simulator needs at least one API key: --key npk_id:nps_secret:SUPER_ADMIN (or NEXTPANEL_SIM_KEYS).');
	process.exit(2);
}

try {
	const simulator = await createSimulator({
		port: Number(values.port ?? env['NEXTPANEL_SIM_PORT'] ?? 4010),
		controlPort: Number(values['control-port'] ?? env['NEXTPANEL_SIM_CONTROL_PORT'] ?? 4011),
		host: values.host ?? env['NEXTPANEL_SIM_HOST'] ?? '127.0.0.1',
		keys: specs.map(parseKeySpec),
		version: values.version ?? env['NEXTPANEL_SIM_VERSION'] ?? '1.0.0',
		...(values['state-file'] ?? env['NEXTPANEL_SIM_STATE_FILE'] ? { stateFile: values['state-file'] ?? env['NEXTPANEL_SIM_STATE_FILE'] } : {}),
	});
	console.log(JSON.stringify({ event: 'listening', apiUrl: simulator.apiUrl, controlUrl: simulator.controlUrl }));
	const shutdown = () => void simulator.close().then(() => process.exit(0));
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
} catch (error) {
	console.error(`The simulator could not start: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
