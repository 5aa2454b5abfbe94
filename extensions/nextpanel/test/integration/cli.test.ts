// The command-line tool end to end, as a separate process against the harness's Directus.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readItems } from '@directus/sdk';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '../../../../scripts/lib/paths.ts';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { createSimulator } from '../../../../scripts/simulator/server.ts';
import { api, createCustomer, harness, registerServer, sdk, simulator, unique } from '../harness/client.ts';

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function cli(...args: string[]): Promise<Run> {
	return new Promise((resolve) => {
		const child = spawn(
			process.execPath,
			[join(projectRoot, 'scripts', 'cli', 'index.ts'), '--url', harness().url, '--token', harness().adminToken, ...args],
			{
				env: { ...process.env, DIRECTUS_URL: '', DIRECTUS_TOKEN: '' },
			},
		);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		// Tables are coloured for terminals; the assertions read the plain text.
		const plain = (text: string) => text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
		child.on('close', (code) => resolve({ code, stdout: plain(stdout), stderr: plain(stderr) }));
	});
}

const dir = mkdtempSync(join(tmpdir(), 'nextpanel-cli-'));

describe('nextpanel CLI', () => {
	test('provision --csv creates and provisions, reports per row, and resumes without repeating work', async () => {
		const good = await registerServer({ simulator: 'b', name: unique('CLI good ') });
		const weak = await registerServer({ simulator: 'b', level: 'BILLING', name: unique('CLI weak ') });
		const names = await sdk().request(
			readItems('nextpanel_servers', { filter: { id: { _in: [good.id, weak.id] } }, fields: ['id', 'name'] }),
		);
		const nameOf = (id: string) => names.find((s) => s['id'] === id)!['name'] as string;
		const tag = unique('');
		const csv = join(dir, `customers-${tag}.csv`);
		writeFileSync(
			csv,
			[
				'full_name,email,company,username,server',
				`Ann One,ann-${tag}@example.com,Acme,,${nameOf(good.id)}`,
				`Bob Two,bob-${tag}@example.com,,bob_${tag},${good.id}`,
				`Bad Mail,not-an-email,,,`,
				`Cat Three,cat-${tag}@example.com,,,${nameOf(weak.id)}`,
			].join('\n'),
		);

		const dry = await cli('provision', '--csv', csv, '--dry-run', '--no-progress', '--report', join(dir, 'dry.json'));
		expect(dry.code).toBe(1);
		const dryReport = JSON.parse(readFileSync(join(dir, 'dry.json'), 'utf8'));
		expect(dryReport.rows.map((r: { outcome: string }) => r.outcome)).toEqual([
			'would_provision',
			'would_provision',
			'invalid',
			'would_provision',
		]);
		expect(await sdk().request(readItems('customers', { filter: { email: { _eq: `ann-${tag}@example.com` } } }))).toHaveLength(0);

		const report = join(dir, 'report.json');
		const passwords = join(dir, 'passwords.tsv');
		const first = await cli(
			'provision',
			'--csv',
			csv,
			'--concurrency',
			'2',
			'--report',
			report,
			'--passwords-out',
			passwords,
			'--no-progress',
		);
		expect(first.code, first.stdout + first.stderr).toBe(1);
		expect(first.stdout, first.stderr).toMatch(/provisioned/);
		const rows = JSON.parse(readFileSync(report, 'utf8')).rows as {
			email: string;
			outcome: string;
			status: string | null;
			message: string;
			username: string | null;
		}[];
		expect(rows.map((r) => r.outcome)).toEqual(['provisioned', 'provisioned', 'invalid', 'failed']);
		expect(rows[1]!.username).toBe(`bob_${tag}`);
		expect(rows[2]!.message).toMatch(/email is not a valid address/);
		expect(rows[3]!.message).toMatch(/SUPER_ADMIN/);
		expect(statSync(passwords).mode & 0o777).toBe(0o600);
		expect(readFileSync(passwords, 'utf8').trim().split('\n')).toHaveLength(2);
		expect(first.stdout + first.stderr).not.toContain(readFileSync(passwords, 'utf8').split('\t')[2]!.trim());

		const createsBefore = (await simulator('b').calls({ method: 'POST', path: '/api/v1/billing/accounts' })).count;
		const again = await cli('provision', '--csv', csv, '--report', report, '--no-progress');
		const rerun = JSON.parse(readFileSync(report, 'utf8')).rows as { outcome: string; message: string }[];
		expect(rerun.map((r) => r.outcome)).toEqual(['skipped', 'skipped', 'invalid', 'failed']);
		expect(rerun[0]!.message).toBe('already provisioned');
		expect(again.code).toBe(1);
		// The failed row was retried (one more create on the weak server), the done rows were not.
		expect((await simulator('b').calls({ method: 'POST', path: '/api/v1/billing/accounts' })).count).toBe(createsBefore + 1);
	});

	test('doctor reports every check and exits with a code per outcome', async () => {
		const good = await registerServer();
		const weak = await registerServer({ level: 'BILLING' });
		const ok = await cli('doctor', '--server', good.id);
		expect(ok.code).toBe(0);
		expect(ok.stdout).toMatch(/✔ permission/);

		const low = await cli('doctor', '--server', weak.id);
		expect(low.code).toBe(6);
		expect(low.stdout).toMatch(/✘ permission .*SUPER_ADMIN/);

		const byUrl = await cli('doctor', '--server', harness().simulators.a.apiUrl, '--key', good.apiKey, '--secret', good.apiSecret);
		expect(byUrl.code).toBe(0);
		const down = await cli('doctor', '--server', 'http://127.0.0.1:9', '--key', 'k', '--secret', 's');
		expect(down.code).toBe(2);
		expect(down.stdout).toMatch(/connection was refused/);
		const missing = await cli('doctor', '--server', 'http://127.0.0.1:9');
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/needs --key and --secret/);
	});

	test('suspend, unsuspend and sync accounts by id or by customer', async () => {
		const server = await registerServer();
		const customer = await createCustomer();
		const ids: string[] = [];
		for (let i = 0; i < 2; i++)
			ids.push((await api('POST', '/nextpanel/accounts', { body: { customer: customer.id, server: server.id } })).body.data.id);

		const suspended = await cli('suspend', ...ids, '--reason', 'cli test');
		expect(suspended.code, suspended.stdout + suspended.stderr).toBe(0);
		expect(suspended.stdout.match(/suspended/g)?.length).toBeGreaterThanOrEqual(2);
		const again = await cli('suspend', ids[0]!);
		expect(again.code).toBe(1);
		expect(again.stdout).toMatch(/cannot be suspended/);

		expect((await cli('unsuspend', '--customer', customer.id)).code).toBe(0);
		const sync = await cli('sync', '--customer', customer.id);
		expect(sync.code).toBe(0);
		expect(sync.stdout).toMatch(/disk \d+ MB/);
		for (const id of ids) expect((await api('GET', `/items/hosting_accounts/${id}`)).body.data.status).toBe('active');
	});

	test('explains how to connect when it cannot', async () => {
		const run = await new Promise<Run>((resolve) => {
			const child = spawn(
				process.execPath,
				[
					join(projectRoot, 'scripts', 'cli', 'index.ts'),
					'--url',
					harness().url,
					'--email',
					'admin@example.com',
					'--password',
					'wrong',
					'sync',
					'x',
				],
				{ env: { ...process.env, DIRECTUS_TOKEN: '' } },
			);
			let stderr = '';
			child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
			child.on('close', (code) => resolve({ code, stdout: '', stderr }));
		});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/Could not log in to .* as admin@example.com/);
	});

	test("import adopts a server's accounts in chunks with a report; drift exits 0 in step and 1 with drift", async () => {
		const sim = await createSimulator({
			port: 0,
			controlPort: 0,
			keys: [{ key: 'npk_cli_import', secret: 'nps_cli_import', level: 'SUPER_ADMIN' }],
		});
		try {
			const control = new SimulatorControl(sim.controlUrl);
			const server = (
				await api('POST', '/items/nextpanel_servers', {
					body: {
						name: unique('CLI import '),
						base_url: sim.apiUrl,
						api_key: 'npk_cli_import',
						api_secret: 'nps_cli_import',
						capacity: 500,
						status: 'active',
					},
				})
			).body.data;
			const customer = await createCustomer();
			const prefix = unique('cli').slice(0, 10);
			await control.seedBulk({ count: 45, prefix, billing_id_prefix: null, email_domain: 'example.com' });
			await control.seedAccount({
				username: unique('owned'),
				email: 'someone@example.com',
				password: 'Seeded-Password-1',
				billing_id: customer.id,
			});

			const dry = await cli('import', '--server', server.id, '--dry-run', '--create-customers', '--no-progress');
			expect(dry.code, dry.stderr).toBe(0);
			expect(dry.stdout).toMatch(/would be imported\s*│\s*46/);
			// PostgreSQL counts as a bigint, which arrives as a string.
			const count = await api('GET', `/items/hosting_accounts?filter[server][_eq]=${server.id}&aggregate[count]=*`);
			expect(Number(count.body.data[0].count)).toBe(0);

			const report = join(dir, `import-${prefix}.json`);
			const run = await cli('import', '--server', server.id, '--create-customers', '--report', report, '--no-progress');
			expect(run.code, run.stderr).toBe(0);
			expect(run.stdout).toMatch(/imported\s*│\s*46/);
			expect(run.stdout).toMatch(/by billing id\s*│\s*1/);
			const written = JSON.parse(readFileSync(report, 'utf8')) as { rows: { action: string; hosting_account?: string }[] };
			expect(written.rows.filter((r) => r.action === 'import' && r.hosting_account)).toHaveLength(46);
			expect((await control.calls()).calls.filter((c) => c.method !== 'GET')).toEqual([]);

			const inStep = await cli('drift', '--server', server.id);
			expect(inStep.code).toBe(0);
			expect(inStep.stdout).toMatch(/in step/);
			const [first] = await control.accounts();
			await control.updateAccount(first!.id, { status: 'suspended' });
			const drifted = await cli('drift', '--server', server.id);
			expect(drifted.code).toBe(1);
			expect(drifted.stdout).toMatch(/status_differs/);
			expect(drifted.stdout).toMatch(/1 difference\./);
		} finally {
			await sim.close();
		}
	});
});
