// Rebuilds the extension bundle only when a source file is newer than its build, so a second
// `npm start` does not pay for a build it does not need.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePath, projectRoot } from './paths.ts';

function newestMtime(path: string): number {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

function oldestBuildMtime(): number {
	const outputs = ['app.js', 'api.js'].map((file) => join(bundlePath, 'dist', file));
	if (!outputs.every((file) => existsSync(file))) return 0;
	return Math.min(...outputs.map((file) => statSync(file).mtimeMs));
}

export function bundleIsStale(): boolean {
	// The bundle builds the plugin's part of snapshots/schema.yaml in, so it is a source too.
	const sources = Math.max(
		newestMtime(join(bundlePath, 'src')),
		newestMtime(join(bundlePath, 'package.json')),
		newestMtime(join(projectRoot, 'snapshots', 'schema.yaml')),
	);
	return sources > oldestBuildMtime();
}

export function buildBundle(): void {
	const result = spawnSync('npm', ['run', 'build', '--prefix', bundlePath], {
		cwd: projectRoot,
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
		env: { ...process.env, PATH: `${join(projectRoot, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}` },
	});
	if (result.status !== 0) throw new Error(`Building the extension bundle failed:\n${result.stdout}\n${result.stderr}`);
}

export function buildBundleIfStale(): boolean {
	if (!bundleIsStale()) return false;
	buildBundle();
	return true;
}
