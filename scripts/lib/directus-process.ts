// Runs the Directus CLI and server as child processes. `npm start`, the test harness and the
// benchmarks all go through here, so they boot Directus the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { directusCliPath, extensionsPath, noConfigFile, templatesPath } from './paths.ts';

export function assertNode22(): void {
	const major = Number(process.versions.node.split('.')[0]);
	if (major < 22) {
		throw new Error(
			`Directus 12 needs Node 22 or newer, this is Node ${process.versions.node}. ` +
				'Run through npm (`npm start`, `npm test`): npm puts node_modules/.bin/node (Node 22) first on PATH.',
		);
	}
}

/** Environment for a Directus child: the caller's environment plus the project's defaults. */
export function directusEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		EXTENSIONS_PATH: extensionsPath,
		EMAIL_TEMPLATES_PATH: templatesPath,
		TELEMETRY: 'false',
		...process.env,
		...overrides,
		CONFIG_PATH: noConfigFile,
	};
	for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
	return env;
}

export class DirectusCliError extends Error {
	readonly output: string;
	constructor(args: string[], code: number | null, output: string) {
		super(`directus ${args.join(' ')} exited with ${code}:\n${output.trim().split('\n').slice(-20).join('\n')}`);
		this.output = output;
	}
}

export function runDirectusCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [directusCliPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve(output) : reject(new DirectusCliError(args, code, output))));
	});
}

export interface DirectusServer {
	child: ChildProcess;
	url: string;
	stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
	env: NodeJS.ProcessEnv;
	url: string;
	/** Receives every line Directus prints. */
	onLine?: (line: string) => void;
	timeoutMs?: number;
}

export async function startDirectusServer({ env, url, onLine, timeoutMs = 90_000 }: StartOptions): Promise<DirectusServer> {
	const child = spawn(process.execPath, [directusCliPath, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	let tail = '';
	const forward = (chunk: Buffer) => {
		const text = chunk.toString();
		tail = (tail + text).slice(-4000);
		if (onLine) for (const line of text.split('\n')) if (line.trim()) onLine(line);
	};
	child.stdout!.on('data', forward);
	child.stderr!.on('data', forward);

	const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill(signal);
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	};

	const ready = await Promise.race([waitForPing(url, timeoutMs).then(() => true), exited.then(() => false)]);
	if (!ready) throw new Error(`Directus exited before it answered ${url}/server/ping:\n${tail}`);
	return { child, url, stop };
}

export async function waitForPing(url: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const response = await fetch(`${url}/server/ping`, { signal: AbortSignal.timeout(2000) });
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`Directus did not answer ${url}/server/ping within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * Bootstraps Directus's own tables (idempotent: installs or migrates). The plugin's collections
 * are the bundle's business: it adds what is missing when Directus starts, and never a mirror of
 * a snapshot, which would drop whatever an administrator added.
 */
export async function prepareDatabase(env: NodeJS.ProcessEnv): Promise<void> {
	await runDirectusCli(['bootstrap'], env);
	await useWriteAheadLog(env);
}

/**
 * Puts a SQLite database in write-ahead-log mode (it stays so): a commit then costs one short
 * append instead of a journal round trip, and readers no longer wait for writers.
 */
export async function useWriteAheadLog(env: NodeJS.ProcessEnv): Promise<void> {
	if (env['DB_CLIENT'] !== 'sqlite3' || !env['DB_FILENAME']) return;
	const { default: knex } = await import('knex');
	const db = knex({ client: 'sqlite3', connection: { filename: env['DB_FILENAME'] }, useNullAsDefault: true });
	try {
		await db.raw('PRAGMA journal_mode = WAL');
	} finally {
		await db.destroy();
	}
}
