// A generated password reaches a person exactly once. With the welcome mail off (the default),
// a customer saved with "provision hosting" and no password gets an account whose generated
// password is held, sealed, for one reveal by someone who may update the account; then it is
// gone. A Directus of its own, because the shared one sends welcome mails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../../../scripts/lib/paths.ts';
import { bootDirectus, newCredentials, type BootedDirectus } from '../../../../scripts/lib/stack.ts';
import { createTestDatabase, type TestDatabase } from '../../../../scripts/lib/throwaway-database.ts';
import { SimulatorControl } from '../../../../scripts/simulator/control-client.ts';
import { createSimulator, type Simulator } from '../../../../scripts/simulator/server.ts';
import { unique, waitFor } from '../harness/client.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nextpanel-reveal-'));
const credentials = newCredentials();
let database: TestDatabase;
let directus: BootedDirectus;
let sim: Simulator;
let control: SimulatorControl;
let serverId = '';

async function call(method: string, path: string, body?: unknown, token: string | null = credentials.adminToken) {
	const response = await fetch(`${directus.url}${path}`, {
		method,
		headers: {
			...(token ? { Authorization: `Bearer ${token}` } : {}),
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

async function provisionedByHook(fields: Record<string, unknown> = {}): Promise<Record<string, any>> {
	const customer = (
		await call('POST', '/items/customers', {
			full_name: 'Reveal Test',
			email: `reveal-${unique('')}@example.com`,
			provision_hosting: true,
			hosting_server: serverId,
			...fields,
		})
	).body.data;
	return waitFor(
		async () => {
			const rows = (await call('GET', `/items/hosting_accounts?filter[customer][_eq]=${customer.id}&fields=*`)).body.data;
			return rows[0]?.status === 'active' ? rows[0] : undefined;
		},
		{ what: 'the account to become active' },
	);
}

beforeAll(async () => {
	mkdirSync(join(tmp, 'db'), { recursive: true });
	database = await createTestDatabase(process.env['TEST_DB'] ?? 'sqlite', join(tmp, 'db'));
	sim = await createSimulator({ port: 0, controlPort: 0, keys: [{ key: 'npk_reveal', secret: 'nps_reveal', level: 'SUPER_ADMIN' }] });
	control = new SimulatorControl(sim.controlUrl);
	directus = await bootDirectus({
		database: database.env,
		credentials,
		tmp,
		name: 'reveal',
		prepare: true,
		env: { NEXTPANEL_WELCOME_MAIL: 'false' },
	});
	serverId = (
		await call('POST', '/items/nextpanel_servers', {
			name: 'Reveal panel',
			base_url: sim.apiUrl,
			api_key: 'npk_reveal',
			api_secret: 'nps_reveal',
			capacity: 50,
			status: 'active',
		})
	).body.data.id;
}, 180_000);

afterAll(async () => {
	await directus?.stop();
	await sim?.close();
	await database?.drop();
	rmSync(tmp, { recursive: true, force: true });
});

describe('POST /nextpanel/accounts/:id/reveal-password', () => {
	test('a generated password is shown once, works on NextPanel, and is gone after; the reveal is logged without it', async () => {
		const account = await provisionedByHook();
		expect(account['revealable']).toBe(true);
		expect(JSON.stringify(account)).not.toMatch(/password_ciphertext/);

		const first = await call('POST', `/nextpanel/accounts/${account['id']}/reveal-password`, {});
		expect(first.status).toBe(200);
		const password: string = first.body.data.password;
		expect(password).toHaveLength(20);
		expect(await control.verifyPassword(account['nextpanel_account_id'], password)).toBe(true);

		const second = await call('POST', `/nextpanel/accounts/${account['id']}/reveal-password`, {});
		expect(second.status).toBe(410);
		expect(second.body.errors[0].message).toMatch(/No password is held/);
		expect((await call('GET', `/items/hosting_accounts/${account['id']}?fields=revealable`)).body.data.revealable).toBe(false);

		const log = (
			await call(
				'GET',
				`/items/nextpanel_logs?filter[hosting_account][_eq]=${account['id']}&filter[action][_eq]=reveal_password&fields=outcome,message,request,response,user`,
			)
		).body.data;
		expect(log).toHaveLength(1);
		expect(JSON.stringify(log)).not.toContain(password);
		const everything = [
			(await call('GET', `/items/hosting_accounts/${account['id']}?fields=*`)).text,
			(await call('GET', `/revisions?filter[item][_eq]=${account['id']}&fields=data,delta&limit=-1`)).text,
			(await call('GET', '/items/nextpanel_logs?limit=-1&fields=*')).text,
		].join('\n');
		expect(everything).not.toContain(password);
	});

	test('two reveals at the same moment: exactly one gets the password', async () => {
		const account = await provisionedByHook();
		const answers = await Promise.all([0, 1, 2].map(() => call('POST', `/nextpanel/accounts/${account['id']}/reveal-password`, {})));
		expect(answers.map((a) => a.status).sort()).toEqual([200, 410, 410]);
	});

	test('a password a person chose is not held: nothing to reveal', async () => {
		const account = await provisionedByHook({ hosting_password: 'Chosen-By-A-Person-42' });
		expect(account['revealable']).toBe(false);
		expect((await call('POST', `/nextpanel/accounts/${account['id']}/reveal-password`, {})).status).toBe(410);
	});

	test('the public gets 401 and the password stays held; the CLI reveals it once', async () => {
		const account = await provisionedByHook();
		expect((await call('POST', `/nextpanel/accounts/${account['id']}/reveal-password`, {}, null)).status).toBe(401);
		const cli = (...args: string[]) =>
			spawnSync(
				process.execPath,
				[join(projectRoot, 'scripts', 'cli', 'index.ts'), '--url', directus.url, '--token', credentials.adminToken, ...args],
				{
					encoding: 'utf8',
					env: { ...process.env, DIRECTUS_URL: '', DIRECTUS_TOKEN: '' },
				},
			);
		const shown = cli('reveal-password', account['id']);
		expect(shown.status, shown.stderr).toBe(0);
		expect(await control.verifyPassword(account['nextpanel_account_id'], shown.stdout.trim())).toBe(true);
		const again = cli('reveal-password', account['id']);
		expect(again.status).not.toBe(0);
		expect(again.stderr).toMatch(/No password is held/);
	});
});
