// The state file: accounts survive a restart, ids keep counting, no password in plaintext, and
// writes are atomic.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { stateFileSchema } from './accounts.ts';
import { createSimulator } from './server.ts';
import { SUPER, startTestSimulator, type TestSimulator } from './testing.ts';

const running: TestSimulator[] = [];
afterEach(async () => {
	await Promise.all(running.splice(0).map((t) => t.sim.close()));
});

async function start(stateFile: string): Promise<TestSimulator> {
	const t = await startTestSimulator({ stateFile });
	running.push(t);
	return t;
}

const freshStateFile = () => join(mkdtempSync(join(tmpdir(), 'nextpanel-sim-')), 'nested', 'state.json');

describe('state file', () => {
	test('accounts, their states and the id counter survive a restart', async () => {
		const file = freshStateFile();
		const first = await start(file);
		const kept = await first.create('persisted', { package_id: 3 });
		const suspended = await first.create('suspendedone');
		await first.api('POST', `/api/v1/billing/accounts/${suspended.id}/suspend`, { headers: SUPER, body: { reason: 'unpaid' } });
		const deleted = await first.create('deletedone');
		await first.api('DELETE', `/api/v1/billing/accounts/${deleted.id}`, { headers: SUPER });
		await first.control.setUsage(kept.id, { disk_used_mb: 321 });
		await first.sim.close();

		const second = await start(file);
		const list = (await second.api('GET', '/api/v1/billing/accounts', { headers: SUPER })).json;
		expect(list).toEqual([kept, { ...suspended, status: 'suspended' }]);
		expect((await second.api('GET', `/api/v1/billing/accounts/${deleted.id}`, { headers: SUPER })).status).toBe(404);
		expect((await second.api('GET', `/api/v1/billing/accounts/${kept.id}/stats`, { headers: SUPER })).json.disk_used_mb).toBe(321);
		expect(await second.control.verifyPassword(kept.id, 'Sup3r-Secret-Pass')).toBe(true);
		const next = await second.create('deletedone');
		expect(next.id).toBe(deleted.id + 1);
	});

	test('the file holds a password hash, never the password', async () => {
		const file = freshStateFile();
		const t = await start(file);
		await t.create('hashed');
		const text = readFileSync(file, 'utf8');
		expect(text).not.toContain('Sup3r-Secret-Pass');
		const state = stateFileSchema.parse(JSON.parse(text));
		expect(state.accounts[0]?.password_hash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
	});

	test('every change is written at once, through a temporary file that does not linger', async () => {
		const file = freshStateFile();
		const t = await start(file);
		const { id } = await t.create('immediate');
		expect(stateFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).accounts.map((a) => a.id)).toEqual([id]);
		await t.api('POST', `/api/v1/billing/accounts/${id}/suspend`, { headers: SUPER, body: {} });
		expect(stateFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).accounts[0]?.status).toBe('suspended');
		expect(readdirSync(join(file, '..'))).toEqual(['state.json']);
	});

	test('reset empties the file but keeps the id counter', async () => {
		const file = freshStateFile();
		const t = await start(file);
		const { id } = await t.create('gone');
		await t.control.reset();
		expect(stateFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')))).toEqual({ nextId: id + 1, accounts: [] });
	});

	test('a file it cannot read stops the start instead of being overwritten', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'nextpanel-sim-')), 'state.json');
		writeFileSync(file, '{"nextId": "one"}');
		await expect(createSimulator({ stateFile: file })).rejects.toThrow(/state\.json cannot be read/);
		expect(readFileSync(file, 'utf8')).toBe('{"nextId": "one"}');
	});

	test('reads state files of the first simulator version', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'nextpanel-sim-')), 'state.json');
		const legacy = {
			nextId: 3,
			accounts: [
				{
					username: 'grace',
					email: 'g@example.com',
					full_name: 'Grace',
					phone: null,
					company: null,
					package_id: null,
					is_admin: false,
					billing_id: 'c1',
					metadata: {},
					password_hash: '83276e136c9b5f6d:e922db440630766f4c85587b3928b18b074fe2af3d44949caa84bb57847766f6',
					id: 1,
					status: 'suspended',
					suspend_reason: 'Unpaid',
					created_at: '2026-01-01T00:00:00.000Z',
					deleted: false,
					usage_override: null,
				},
			],
		};
		writeFileSync(file, JSON.stringify(legacy));
		const t = await start(file);
		expect((await t.api('GET', '/api/v1/billing/accounts/1', { headers: SUPER })).json).toMatchObject({
			id: 1,
			username: 'grace',
			status: 'suspended',
		});
		expect(await t.control.verifyPassword(1, 'Legacy-Pass-1')).toBe(true);
		expect(await t.control.verifyPassword(1, 'Legacy-Pass-2')).toBe(false);
		expect((await t.create('newcomer')).id).toBe(3);
	});
});
