// The command line: the one JSON line other programs parse, keys from flags and the environment,
// clear refusals, no secret on any output, and a clean exit on SIGTERM.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, test } from 'vitest';
import { send } from './testing.ts';

const entry = new URL('./index.ts', import.meta.url).pathname;

interface Run {
	stdout: string;
	stderr: string;
	code: number | null;
}

/** Starts the CLI, waits for the listening line, calls `whileUp`, then sends SIGTERM. */
async function runCli(
	args: string[],
	env: Record<string, string> = {},
	whileUp?: (urls: { apiUrl: string; controlUrl: string }) => Promise<void>,
): Promise<Run> {
	const child = spawn(process.execPath, [entry, ...args], {
		env: { ...process.env, NEXTPANEL_SIM_KEYS: '', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const exited = once(child, 'exit') as Promise<[number | null]>;
	const lines = createInterface({ input: child.stdout });
	let urls: { apiUrl: string; controlUrl: string } | null = null;
	for await (const line of lines) {
		stdout += `${line}\n`;
		const event = JSON.parse(line) as { event: string; apiUrl: string; controlUrl: string };
		if (event.event === 'listening') {
			urls = event;
			break;
		}
	}
	if (urls) {
		try {
			await whileUp?.(urls);
		} finally {
			child.kill('SIGTERM');
		}
	}
	const [code] = await exited;
	return { stdout, stderr, code };
}

describe('the simulator CLI', () => {
	test('prints one listening line, serves the keys from flags and env, and stops on SIGTERM', async () => {
		const run = await runCli(
			['--port', '0', '--control-port', '0', '--key', 'npk_flag:nps_flag_secret:SUPER_ADMIN', '--version', '9.9.9'],
			{ NEXTPANEL_SIM_KEYS: 'npk_env:nps_env:secret:BILLING, npk_env2:nps_env2:READ_ONLY' },
			async ({ apiUrl, controlUrl }) => {
				expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
				expect((await send(apiUrl, 'GET', '/api/health')).json).toEqual({ status: 'healthy', database: 'connected', version: '9.9.9' });
				expect(
					(
						await send(apiUrl, 'GET', '/api/v1/billing/accounts', {
							headers: { 'x-api-key': 'npk_flag', 'x-api-secret': 'nps_flag_secret' },
						})
					).status,
				).toBe(200);
				// A secret may contain colons.
				const billing = await send(apiUrl, 'POST', '/api/v1/billing/accounts', {
					headers: { 'x-api-key': 'npk_env', 'x-api-secret': 'nps_env:secret' },
					body: {},
				});
				expect(billing.status).toBe(403);
				expect(
					(await send(apiUrl, 'GET', '/api/v1/billing/accounts', { headers: { 'x-api-key': 'npk_env2', 'x-api-secret': 'nps_env2' } }))
						.status,
				).toBe(200);
				expect((await send(controlUrl, 'GET', '/control/health')).json).toMatchObject({ status: 'ok', up: true });
			},
		);
		expect(run.code).toBe(0);
		const [line, ...rest] = run.stdout.trim().split('\n');
		expect(rest).toEqual([]);
		expect(Object.keys(JSON.parse(line!))).toEqual(['event', 'apiUrl', 'controlUrl']);
		expect(run.stderr).toContain('npk_flag (SUPER_ADMIN)');
		for (const secret of ['nps_flag_secret', 'nps_env', 'nps_env2']) expect(run.stdout + run.stderr).not.toContain(secret);
	});

	test('takes ports, host and state file from the environment', async () => {
		const stateFile = join(mkdtempSync(join(tmpdir(), 'nextpanel-sim-cli-')), 'state.json');
		const run = await runCli(
			[],
			{
				NEXTPANEL_SIM_PORT: '0',
				NEXTPANEL_SIM_CONTROL_PORT: '0',
				NEXTPANEL_SIM_HOST: '127.0.0.1',
				NEXTPANEL_SIM_KEYS: 'k:s:SUPER_ADMIN',
				NEXTPANEL_SIM_STATE_FILE: stateFile,
			},
			async ({ apiUrl }) => {
				const body = { username: 'fromcli', email: 'cli@example.com', password: 'password123' };
				expect(
					(await send(apiUrl, 'POST', '/api/v1/billing/accounts', { headers: { 'x-api-key': 'k', 'x-api-secret': 's' }, body })).status,
				).toBe(201);
			},
		);
		expect(run.code).toBe(0);
		expect(run.stderr).toContain(`state in ${stateFile}`);
		expect(JSON.parse(readFileSync(stateFile, 'utf8')).accounts[0].username).toBe('fromcli');
	});

	test.each([
		['no key at all', [], /needs at least one API key/],
		['a key without a level', ['--key', 'npk_x:nps_hidden_value'], /Invalid key "npk_x:…"/],
		['an unknown level', ['--key', 'npk_x:nps_hidden_value:ROOT'], /LEVEL one of READ_ONLY/],
		['a bad port', ['--key', 'k:s:USER', '--port', 'eighty'], /--port must be a port number/],
		['an unknown flag', ['--key', 'k:s:USER', '--verbose'], /Unknown option '--verbose'/],
	])('refuses %s with exit code 2 and a clear message', async (_label, args, message) => {
		const run = await runCli(args);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(message);
		expect(run.stderr).toContain('Usage:');
		expect(run.stderr).not.toContain('nps_hidden_value');
		expect(run.stdout).toBe('');
	});

	test('a port in use is exit code 1 with the reason', async () => {
		let busyPort = 0;
		const blocker = await runCli(['--port', '0', '--control-port', '0', '--key', 'k:s:USER'], {}, async ({ apiUrl }) => {
			busyPort = Number(new URL(apiUrl).port);
			const run = await runCli(['--port', String(busyPort), '--control-port', '0', '--key', 'k:s:USER']);
			expect(run.code).toBe(1);
			expect(run.stderr).toMatch(/could not start: a port is already in use/);
		});
		expect(blocker.code).toBe(0);
	});
});
