// `npm start` as a newcomer runs it: a fresh .env, Directus answering with the schema, the
// bundle and a working demo server; a second start keeps the data; Ctrl-C stops everything.
// Everything it writes goes to a temporary folder through the variables it honours.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../../../scripts/lib/paths.ts';
import { freePort } from '../../../../scripts/lib/stack.ts';
import { waitFor } from '../harness/client.ts';

const dir = mkdtempSync(join(tmpdir(), 'nextpanel-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

async function start(env: Record<string, string>): Promise<Started> {
	const child = spawn(process.execPath, [join(projectRoot, 'scripts', 'start.ts')], { cwd: projectRoot, env: { ...process.env, ...env } });
	let output = '';
	child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const deadline = Date.now() + 90_000;
	while (!output.includes('Press Ctrl-C to stop')) {
		if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
		if (Date.now() > deadline) throw new Error(`npm start was not ready within 90 s:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return { child, output: () => output, exited };
}

function runScript(file: string, env: Record<string, string>): { status: number | null; output: string } {
	const result = spawnSync(process.execPath, [join(projectRoot, 'scripts', file)], {
		cwd: projectRoot,
		env: { ...process.env, ...env },
		encoding: 'utf8',
	});
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function json(url: string, init: RequestInit = {}): Promise<any> {
	let response: Response;
	try {
		response = await fetch(url, init);
	} catch (error) {
		// A keep-alive connection Directus closed while it sat idle (while a script ran) fails the
		// next request on it; a read is simply sent again on a fresh one.
		if ((init.method ?? 'GET') !== 'GET') throw error;
		response = await fetch(url, init);
	}
	return response.json();
}

describe('npm start', () => {
	test('a first start creates .env and serves Directus with the schema, the bundle and a demo server; the second keeps the data, including what an admin added', async () => {
		const [port, simPort, controlPort, mailPort, mailboxPort] = [
			await freePort(),
			await freePort(),
			await freePort(),
			await freePort(),
			await freePort(),
		];
		const env = {
			CONFIG_PATH: join(dir, '.env'),
			DB_CLIENT: 'sqlite3',
			DB_FILENAME: join(dir, 'database.db'),
			PORT: String(port),
			NEXTPANEL_DEMO_PORT: String(simPort),
			NEXTPANEL_DEMO_CONTROL_PORT: String(controlPort),
			NEXTPANEL_DEMO_STATE_FILE: join(dir, 'simulator.json'),
			NEXTPANEL_DEMO_MAIL_PORT: String(mailPort),
			NEXTPANEL_DEMO_MAILBOX_PORT: String(mailboxPort),
			NEXTPANEL_DEMO_MAILBOX_DIR: join(dir, 'mail'),
			STORAGE_LOCAL_ROOT: join(dir, 'uploads'),
		};
		const url = `http://127.0.0.1:${port}`;
		const first = await start(env);
		const dotenv = parseEnv(readFileSync(env.CONFIG_PATH, 'utf8'));
		// 32 random bytes each, base64url, and not the same value twice.
		expect(dotenv['KEY']).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(dotenv['SECRET']).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(dotenv['SECRET']).not.toBe(dotenv['KEY']);
		expect(Buffer.from(dotenv['NEXTPANEL_ENCRYPTION_KEY']!, 'base64')).toHaveLength(32);
		expect(first.output()).toContain(`Log in as admin@example.com / ${dotenv['ADMIN_PASSWORD']}`);
		expect(first.output()).toContain(`registered as "Demo NextPanel (simulator)" (created)`);

		expect(await (await fetch(`${url}/server/ping`)).text()).toBe('pong');
		const login = await json(`${url}/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'admin@example.com', password: dotenv['ADMIN_PASSWORD'] }),
		});
		const auth = { Authorization: `Bearer ${login.data.access_token}`, 'content-type': 'application/json' };
		for (const collection of ['customers', 'nextpanel_servers', 'hosting_accounts', 'nextpanel_logs']) {
			expect((await json(`${url}/fields/${collection}`, { headers: auth })).data.length, collection).toBeGreaterThan(5);
		}
		const extensions = (await json(`${url}/extensions`, { headers: auth })).data as {
			meta: { folder: string };
			schema: { type: string } | null;
		}[];
		expect(extensions.find((e) => e.meta.folder === 'nextpanel')?.schema?.type).toBe('bundle');
		expect(extensions.map((e) => e.meta.folder)).toEqual(
			expect.arrayContaining(['nextpanel-endpoint', 'nextpanel-provision', 'nextpanel-password', 'nextpanel-overview']),
		);
		const settings = (await json(`${url}/settings`, { headers: auth })).data;
		expect(settings.project_owner).toBe('admin@example.com');

		// The demo server works end to end: the same call the README shows.
		const customer = (
			await json(`${url}/items/customers`, {
				method: 'POST',
				headers: auth,
				body: JSON.stringify({ full_name: 'Start Test', email: 'start@example.com' }),
			})
		).data;
		const provisioned = await json(`${url}/nextpanel/accounts`, {
			method: 'POST',
			headers: auth,
			body: JSON.stringify({ customer: customer.id }),
		});
		expect(provisioned.data.status).toBe('active');
		// The demo's welcome mail reaches the local mailbox page, with the generated password.
		expect(first.output()).toContain(`Welcome mails and notifications: http://127.0.0.1:${mailboxPort}`);
		const mailbox = await waitFor(
			async () => {
				const page = await (await fetch(`http://127.0.0.1:${mailboxPort}/`)).text();
				return page.includes(provisioned.data.username) ? page : undefined;
			},
			{ what: 'the welcome mail on the demo mailbox page' },
		);
		expect(mailbox).toContain('Your hosting account is ready');
		// The page shows the mail as text, HTML-escaped.
		expect(mailbox).toContain(String(provisioned.generated_password).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`));
		expect(first.output()).not.toMatch(/sendmail|ENOENT/);

		// What an administrator adds in the app: a collection with items, a field on customers
		// and one on hosting accounts, with values. Restarts must keep all of it.
		const post = (path: string, body: unknown) => json(`${url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
		await post('/collections', {
			collection: 'invoices',
			meta: {},
			schema: {},
			fields: [
				{ field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
				{ field: 'amount', type: 'decimal', meta: {}, schema: { numeric_precision: 10, numeric_scale: 2 } },
			],
		});
		await post('/items/invoices', [{ amount: 12.5 }, { amount: 99 }]);
		await post('/fields/customers', { field: 'account_manager', type: 'string', meta: { interface: 'input' }, schema: {} });
		await post('/fields/hosting_accounts', { field: 'note', type: 'string', meta: { interface: 'input' }, schema: {} });
		await json(`${url}/items/customers/${customer.id}`, {
			method: 'PATCH',
			headers: auth,
			body: JSON.stringify({ account_manager: 'Eve' }),
		});
		await json(`${url}/items/hosting_accounts/${provisioned.data.id}`, {
			method: 'PATCH',
			headers: auth,
			body: JSON.stringify({ note: 'VIP' }),
		});

		first.child.kill('SIGINT');
		expect(await first.exited).toBe(0);
		await expect(fetch(`${url}/server/ping`)).rejects.toThrow();
		await expect(fetch(`http://127.0.0.1:${simPort}/api/health`)).rejects.toThrow();

		const second = await start(env);
		try {
			expect(second.output()).toContain('(unchanged)');
			const again = await json(`${url}/auth/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: 'admin@example.com', password: dotenv['ADMIN_PASSWORD'] }),
			});
			const headers = { Authorization: `Bearer ${again.data.access_token}` };
			const accounts = (await json(`${url}/items/hosting_accounts?filter[customer][_eq]=${customer.id}`, { headers })).data;
			expect(accounts).toHaveLength(1);
			expect(accounts[0].status).toBe('active');
			// The simulator kept its state too: the account is still there to suspend.
			const suspended = await json(`${url}/nextpanel/accounts/${accounts[0].id}/suspend`, {
				method: 'POST',
				headers: { ...headers, 'content-type': 'application/json' },
				body: '{}',
			});
			expect(suspended.data.status).toBe('suspended');

			const added = await json(`${url}/items/invoices?sort=id&fields=amount`, { headers });
			expect(added.data.map((row: { amount: string | number }) => Number(row.amount))).toEqual([12.5, 99]);
			expect((await json(`${url}/items/customers/${customer.id}?fields=account_manager`, { headers })).data.account_manager).toBe('Eve');
			expect((await json(`${url}/items/hosting_accounts/${accounts[0].id}?fields=note`, { headers })).data.note).toBe('VIP');

			// The example flows go into the running project, on its port, once.
			const imported = runScript('import-flows.ts', env);
			expect(imported.status, imported.output).toBe(0);
			expect(imported.output).toMatch(/Imported "Suspend hosting of inactive customers"/);
			const twice = runScript('import-flows.ts', env);
			expect(twice.output).toMatch(/is already there/);
			const flows = (await json(`${url}/flows?filter[name][_eq]=Suspend hosting of inactive customers&fields=id`, { headers })).data;
			expect(flows).toHaveLength(1);
		} finally {
			second.child.kill('SIGINT');
			await second.exited;
		}
		const stopped = runScript('import-flows.ts', env);
		expect(stopped.status).toBe(1);
		expect(stopped.output).toMatch(/Directus is not answering at http:\/\/127\.0\.0\.1:\d+\. Start it with `npm start` first/);
	}, 240_000);
});
