import { readItem, readRevisions, updateItem } from '@directus/sdk';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { expectRecentTimestamp } from '../harness/expectations.ts';
import { api, errorOf, harness, registerServer, sdk, simulator, unique } from '../harness/client.ts';

describe('NextPanel server secrets', () => {
	test('the API secret is never readable through items, revisions or the log once saved', async () => {
		const server = await registerServer();
		const item = (await sdk().request(readItem('nextpanel_servers', server.id))) as Record<string, unknown>;
		expect(item['api_secret']).toBe('**********');
		const graphql = await api('POST', '/graphql', { body: { query: `{ nextpanel_servers_by_id(id: "${server.id}") { api_secret } }` } });
		expect(JSON.stringify(graphql.body)).not.toContain(server.apiSecret);
		const revisions = await sdk().request(
			readRevisions({ filter: { collection: { _eq: 'nextpanel_servers' }, item: { _eq: server.id } }, fields: ['data', 'delta'] }),
		);
		expect(revisions.length).toBeGreaterThan(0);
		expect(JSON.stringify(revisions)).not.toContain(server.apiSecret);
		expect(readFileSync(harness().logFile, 'utf8')).not.toContain(server.apiSecret);
	});

	test('editing a server without re-entering the secret keeps the saved one', async () => {
		const server = await registerServer();
		await sdk().request(updateItem('nextpanel_servers', server.id, { name: unique('Renamed '), api_secret: '**********' }));
		const result = await api('POST', `/nextpanel/servers/${server.id}/test`);
		expect(result.status).toBe(200);
		expect(result.body.ok).toBe(true);
	});

	test('a server address that is not http(s) or points at the metadata range is refused', async () => {
		for (const base_url of ['ftp://panel.example.com', 'http://169.254.169.254']) {
			const response = await api('POST', '/items/nextpanel_servers', {
				body: { name: unique('Bad '), base_url, api_key: 'npk_x', api_secret: 'nps_x' },
			});
			expect(response.status).toBe(400);
		}
	});

	test('the control panel address is checked for its form, and emptying it clears it', async () => {
		const server = await registerServer({ panelUrl: 'https://cp.example.com' });
		for (const panel_url of ['ftp://cp.example.com', 'cp.example.com', 42]) {
			const response = await api('PATCH', `/items/nextpanel_servers/${server.id}`, { body: { panel_url } });
			expect(response.status).toBe(400);
			expect(errorOf(response).message).toMatch(/panel_url: enter the control panel address/);
		}
		expect(((await sdk().request(readItem('nextpanel_servers', server.id))) as Record<string, unknown>)['panel_url']).toBe(
			'https://cp.example.com',
		);
		expect((await api('PATCH', `/items/nextpanel_servers/${server.id}`, { body: { panel_url: '  ' } })).status).toBe(200);
		expect(((await sdk().request(readItem('nextpanel_servers', server.id))) as Record<string, unknown>)['panel_url']).toBeNull();
	});
});

describe('POST /nextpanel/servers/test (unsaved credentials)', () => {
	test('a SUPER_ADMIN key passes every check', async () => {
		const key = unique('npk_');
		await simulator('a').addKey({ key, secret: 'nps_good_secret', level: 'SUPER_ADMIN' });
		// The health check is held 200 ms: the reported latency includes it and fits in the request.
		await simulator('a').addFault({ kind: 'latency', ms: 200, times: 1, match: { path: '/api/health' } });
		const started = performance.now();
		const response = await api('POST', '/nextpanel/servers/test', {
			body: { base_url: harness().simulators.a.apiUrl, api_key: key, api_secret: 'nps_good_secret' },
		});
		const elapsed = performance.now() - started;
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({ ok: true, status: 'ok', version: '1.0.0' });
		expect(response.body.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
			['reachable', true],
			['credentials', true],
			['permission', true],
			['version', true],
		]);
		expect(response.body.latency_ms).toBeGreaterThanOrEqual(200);
		expect(response.body.latency_ms).toBeLessThanOrEqual(elapsed);
	});

	test('a BILLING key is reachable and authenticated but cannot provision, and says how to fix it', async () => {
		const key = unique('npk_');
		await simulator('a').addKey({ key, secret: 'nps_billing', level: 'BILLING' });
		const response = await api('POST', '/nextpanel/servers/test', {
			body: { base_url: harness().simulators.a.apiUrl, api_key: key, api_secret: 'nps_billing' },
		});
		expect(response.body.ok).toBe(false);
		expect(response.body.status).toBe('insufficient_permission');
		expect(response.body.message).toMatch(/SUPER_ADMIN/);
		expect(response.body.message).toMatch(/API Keys/);
		const checks = Object.fromEntries(response.body.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok]));
		expect(checks).toMatchObject({ reachable: true, credentials: true, permission: false });
	});

	test.each([
		['a wrong secret', { level: 'SUPER_ADMIN' }, 'wrong', 'auth_failed', /key and secret/],
		['an inactive key', { level: 'SUPER_ADMIN', active: false }, null, 'auth_failed', /active/],
		['an IP allow list without this server', { level: 'SUPER_ADMIN', allowed_ips: ['10.9.9.9'] }, null, 'ip_not_allowed', /127\.0\.0\.1/],
	])('%s is reported as %s', async (_label, keyOptions, secretOverride, status, advice) => {
		const key = unique('npk_');
		await simulator('a').addKey({ key, secret: 'nps_right', ...keyOptions });
		const response = await api('POST', '/nextpanel/servers/test', {
			body: { base_url: harness().simulators.a.apiUrl, api_key: key, api_secret: secretOverride ?? 'nps_right' },
		});
		expect(response.body.status).toBe(status);
		expect(response.body.message).toMatch(advice);
	});

	test('a closed port is unreachable and names the address', async () => {
		const response = await api('POST', '/nextpanel/servers/test', {
			body: { base_url: 'http://127.0.0.1:9', api_key: 'npk_x', api_secret: 'nps_x' },
		});
		expect(response.body).toMatchObject({ ok: false, status: 'unreachable' });
		expect(response.body.message).toContain('127.0.0.1:9');
		expect(response.body.checks[1].skipped).toBe(true);
	});

	test('a link-local address is refused before any request is made', async () => {
		const response = await api('POST', '/nextpanel/servers/test', {
			body: { base_url: 'http://169.254.169.254/latest', api_key: 'npk_x', api_secret: 'nps_x' },
		});
		expect(response.status).toBe(400);
		expect(errorOf(response).message).toMatch(/NEXTPANEL_URL_DENY_LIST/);
	});

	test('unauthenticated callers get 401 and the simulator sees nothing', async () => {
		const key = unique('npk_');
		await simulator('a').addKey({ key, secret: 'nps_s', level: 'SUPER_ADMIN' });
		const response = await api('POST', '/nextpanel/servers/test', {
			as: 'public',
			body: { base_url: harness().simulators.a.apiUrl, api_key: key, api_secret: 'nps_s' },
		});
		expect(response.status).toBe(401);
		expect((await simulator('a').calls()).calls.filter((c) => c.key === key)).toHaveLength(0);
	});
});

describe('POST /nextpanel/servers/:id/test', () => {
	test('records the outcome on the server', async () => {
		const server = await registerServer({ level: 'BILLING' });
		const started = Date.now();
		const response = await api('POST', `/nextpanel/servers/${server.id}/test`);
		expect(response.body.status).toBe('insufficient_permission');
		const saved = (await sdk().request(readItem('nextpanel_servers', server.id))) as Record<string, unknown>;
		expect(saved['last_check_status']).toBe('insufficient_permission');
		expect(saved['last_check_message']).toMatch(/SUPER_ADMIN/);
		expectRecentTimestamp(saved['last_check_at'], started);
		expect(saved['version']).toBe('1.0.0');
	});

	test('an unknown server is a 404', async () => {
		const response = await api('POST', '/nextpanel/servers/00000000-0000-4000-8000-000000000000/test');
		expect(response.status).toBe(404);
	});
});
