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

// The reveal-password operation must judge by every flow the password passes through. Directus
// hands a child flow's operations the context of the outermost flow, so a webhook flow that
// triggers a child flow recording revisions must not slip past the guard.
describe('nextpanel-reveal-password in nested flows', () => {
	const flows: string[] = [];
	afterAll(async () => {
		for (const id of flows) await call('DELETE', `/flows/${id}`);
	});

	async function flow(name: string, tracking: 'all' | 'activity', trigger: 'webhook' | 'operation'): Promise<string> {
		const created = await call('POST', '/flows', {
			name: `${name} ${unique('')}`,
			status: 'active',
			trigger,
			accountability: tracking,
			options: trigger === 'webhook' ? { method: 'POST', async: false, return: '$last' } : { return: '$last' },
		});
		expect(created.status, created.text).toBe(200);
		flows.push(created.body.data.id);
		return created.body.data.id;
	}

	async function firstOperation(flowId: string, type: string, options: Record<string, unknown>): Promise<void> {
		const operation = await call('POST', '/operations', {
			flow: flowId,
			key: unique('op_'),
			name: type,
			type,
			position_x: 19,
			position_y: 1,
			options,
		});
		expect(operation.status, operation.text).toBe(200);
		expect((await call('PATCH', `/flows/${flowId}`, { operation: operation.body.data.id })).status).toBe(200);
	}

	/** A chain of flows, the first a webhook, each triggering the next, the last holding the reveal. */
	async function chain(trackings: ('all' | 'activity')[]): Promise<string> {
		const ids: string[] = [];
		for (const [index, tracking] of trackings.entries())
			ids.push(await flow(`reveal chain ${index}`, tracking, index === 0 ? 'webhook' : 'operation'));
		await firstOperation(ids.at(-1)!, 'nextpanel-reveal-password', {
			account: ids.length === 1 ? '{{$trigger.body.account}}' : '{{$trigger.account}}',
		});
		for (let index = ids.length - 2; index >= 0; index--) {
			await firstOperation(ids[index]!, 'trigger', { flow: ids[index + 1], payload: index === 0 ? '{{$trigger.body}}' : '{{$trigger}}' });
		}
		return ids[0]!;
	}

	async function revisionsHold(password: string): Promise<boolean> {
		return (await call('GET', '/revisions?limit=-1&fields=data,delta')).text.includes(password);
	}

	test.each([
		['a webhook flow (Activity) triggering a child that records revisions', ['activity', 'all']],
		['a parent that records revisions triggering a child (Activity)', ['all', 'activity']],
		['three levels, only the middle one recording revisions', ['activity', 'all', 'activity']],
		['a single flow recording revisions', ['all']],
	] as const)('%s is refused and the password stays held', async (_name, trackings) => {
		const account = await provisionedByHook();
		const start = await chain([...trackings]);
		const run = await call('POST', `/flows/trigger/${start}`, { account: account['id'] });
		expect(run.text).not.toMatch(/"password"\s*:\s*"/);
		expect(run.text).toMatch(/Activity & Revisions/);
		expect((await call('GET', `/items/hosting_accounts/${account['id']}?fields=revealable`)).body.data.revealable).toBe(true);
		for (const id of flows.splice(0)) await call('DELETE', `/flows/${id}`);
	});

	test('a chain in which no flow records revisions reveals the password once, and no revision holds it', async () => {
		const account = await provisionedByHook();
		const start = await chain(['activity', 'activity']);
		const run = await call('POST', `/flows/trigger/${start}`, { account: account['id'] });
		expect(run.status, run.text).toBe(200);
		const password: string = run.body.password;
		expect(password).toHaveLength(20);
		expect(await control.verifyPassword(account['nextpanel_account_id'], password)).toBe(true);
		expect(await revisionsHold(password)).toBe(false);
		expect((await call('GET', `/items/hosting_accounts/${account['id']}?fields=revealable`)).body.data.revealable).toBe(false);
	});
});
