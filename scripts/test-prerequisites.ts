// Runs before `npm test` (npm's pretest): the browser tests need Debian's Chromium and the
// compose test Debian's docker-compose (to validate the file; no Docker engine is needed).
// As root with apt, it installs what is missing; otherwise it stops at once with one message
// that says what to install, instead of a run that fails half-way.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const missing: string[] = [];
if (!existsSync(chromium)) missing.push('chromium');
if (!onPath('docker-compose')) missing.push('docker-compose');
if (missing.length === 0) process.exit(0);

const canInstall = process.getuid?.() === 0 && onPath('apt-get');
if (!canInstall) {
	console.error(
		`npm test needs Debian's ${missing.join(' and ')} for the browser and compose tests. Install ${missing.length > 1 ? 'them' : 'it'} with \`sudo apt-get install -y ${missing.join(' ')}\` (or set CHROMIUM_PATH to a Chromium binary), then run npm test again.`,
	);
	process.exit(1);
}

console.log(`pretest: installing ${missing.join(' and ')} from Debian (about 30 s)...`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
	['update', '-qq'],
	['install', '-y', '-qq', ...missing],
]) {
	const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
	if (result.status !== 0) {
		console.error(`pretest: \`apt-get ${args.join(' ')}\` failed; install ${missing.join(' ')} by hand, then run npm test again.`);
		process.exit(1);
	}
}
