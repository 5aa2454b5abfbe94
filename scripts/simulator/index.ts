// `npm run simulator -- --key npk_id:nps_secret:SUPER_ADMIN`: a standalone NextPanel simulator.
// Prints one JSON line on stdout once listening, so a parent process can learn its (maybe random)
// ports; everything else goes to stderr. Secrets are never printed.
import { parseArgs } from 'node:util';
import { parseKeySpec, type ApiKey } from './auth.ts';
import { createSimulator, type Simulator } from './server.ts';

const USAGE = `Usage: node scripts/simulator/index.ts --key KEY:SECRET:LEVEL [options]

  --key KEY:SECRET:LEVEL  an API key (repeatable); env NEXTPANEL_SIM_KEYS, comma-separated
  --port N                API port (0 = random, default 4010); env NEXTPANEL_SIM_PORT
  --control-port N        control port (0 = random, default 4011); env NEXTPANEL_SIM_CONTROL_PORT
  --host ADDRESS          listen address (default 127.0.0.1); env NEXTPANEL_SIM_HOST
  --state-file PATH       keep accounts in this JSON file; env NEXTPANEL_SIM_STATE_FILE
  --version X.Y.Z         version reported by /api/health (default 1.0.0); env NEXTPANEL_SIM_VERSION
  --help                  this text

LEVEL is one of READ_ONLY, USER, DEVELOPER, BILLING, ADMIN, SUPER_ADMIN.`;

class UsageError extends Error {}

function port(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined || value === '') return fallback;
	const number = Number(value);
	if (!Number.isInteger(number) || number < 0 || number > 65535)
		throw new UsageError(`${name} must be a port number (0-65535), not "${value}"`);
	return number;
}

function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv) {
	const { values } = parseArgs({
		args: argv,
		options: {
			port: { type: 'string' },
			'control-port': { type: 'string' },
			host: { type: 'string' },
			key: { type: 'string', multiple: true },
			'state-file': { type: 'string' },
			version: { type: 'string' },
			help: { type: 'boolean' },
		},
		strict: true,
	});
	if (values.help) return null;
	const specs = [...(values.key ?? []), ...(env['NEXTPANEL_SIM_KEYS'] ?? '').split(',')].map((spec) => spec.trim()).filter(Boolean);
	if (specs.length === 0)
		throw new UsageError('The simulator needs at least one API key: --key npk_id:nps_secret:SUPER_ADMIN (or NEXTPANEL_SIM_KEYS).');
	let keys: ApiKey[];
	try {
		keys = specs.map(parseKeySpec);
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	const stateFile = values['state-file'] ?? env['NEXTPANEL_SIM_STATE_FILE'];
	return {
		port: port(values.port ?? env['NEXTPANEL_SIM_PORT'], 4010, '--port'),
		controlPort: port(values['control-port'] ?? env['NEXTPANEL_SIM_CONTROL_PORT'], 4011, '--control-port'),
		host: values.host ?? env['NEXTPANEL_SIM_HOST'] ?? '127.0.0.1',
		keys,
		version: values.version ?? env['NEXTPANEL_SIM_VERSION'] ?? '1.0.0',
		...(stateFile ? { stateFile } : {}),
	};
}

let options: ReturnType<typeof parseCommandLine>;
try {
	options = parseCommandLine(process.argv.slice(2), process.env);
} catch (error) {
	// parseArgs's own errors (unknown flag, missing value) are usage errors too.
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
	process.exit(2);
}
if (options === null) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}

let simulator: Simulator;
try {
	simulator = await createSimulator(options);
} catch (error) {
	const code = (error as NodeJS.ErrnoException).code;
	const reason =
		code === 'EADDRINUSE'
			? `a port is already in use (${(error as Error).message})`
			: error instanceof Error
				? error.message
				: String(error);
	process.stderr.write(`The NextPanel simulator could not start: ${reason}\n`);
	process.exit(1);
}

process.stdout.write(`${JSON.stringify({ event: 'listening', apiUrl: simulator.apiUrl, controlUrl: simulator.controlUrl })}\n`);
process.stderr.write(
	`NextPanel simulator ${simulator.version}: API ${simulator.apiUrl}, control ${simulator.controlUrl}, keys ${options.keys.map((key) => `${key.key} (${key.level})`).join(', ')}${options.stateFile ? `, state in ${options.stateFile}` : ''}\n`,
);

let stopping = false;
function shutdown(signal: string): void {
	if (stopping) {
		// A second Ctrl-C means now.
		process.exit(130);
	}
	stopping = true;
	process.stderr.write(`NextPanel simulator: ${signal}, shutting down\n`);
	simulator.close().then(
		() => process.exit(0),
		() => process.exit(1),
	);
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
