// Starts the NextPanel simulator as a child process and learns its addresses from the one JSON
// line it prints when listening.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { simulatorEntry } from './paths.ts';

export interface SimulatorKey {
	key: string;
	secret: string;
	level: string;
}

export interface SimulatorProcessOptions {
	port?: number;
	controlPort?: number;
	host?: string;
	keys: SimulatorKey[];
	stateFile?: string;
	onLine?: (line: string) => void;
}

export interface SimulatorProcess {
	child: ChildProcess;
	apiUrl: string;
	controlUrl: string;
	stop(): Promise<void>;
}

export function startSimulatorProcess(options: SimulatorProcessOptions): Promise<SimulatorProcess> {
	const args = [simulatorEntry, '--port', String(options.port ?? 0), '--control-port', String(options.controlPort ?? 0)];
	if (options.host) args.push('--host', options.host);
	if (options.stateFile) args.push('--state-file', options.stateFile);
	// Keys travel through the environment, not argv, so they never show up in `ps`.
	const env = { ...process.env, NEXTPANEL_SIM_KEYS: options.keys.map((k) => `${k.key}:${k.secret}:${k.level}`).join(',') };
	const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		await exited;
	};
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-4000);
		options.onLine?.(chunk.toString().trimEnd());
	});
	return new Promise((resolve, reject) => {
		const lines = createInterface({ input: child.stdout! });
		lines.on('line', (line) => {
			try {
				const event = JSON.parse(line) as { event?: string; apiUrl?: string; controlUrl?: string };
				if (event.event === 'listening' && event.apiUrl && event.controlUrl) {
					resolve({ child, apiUrl: event.apiUrl, controlUrl: event.controlUrl, stop });
					return;
				}
			} catch {
				// not a JSON line
			}
			options.onLine?.(line);
		});
		child.on('exit', (code) => reject(new Error(`The NextPanel simulator exited with ${code} before listening:\n${stderr}`)));
	});
}
