import fc from 'fast-check';
import knex, { type Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { automaticCandidates, automaticPackageFit, sharedPackages, type ServerPackage } from '../../shared/packages.ts';
import { ACCOUNT_FIELD_NAMES, CUSTOMER_FIELD_NAMES, serverChoiceError } from './account-inputs.ts';
import { mostFreeActive, withUsage } from './capacity.ts';
import { chooseServer } from './server-choice.ts';

let db: Knex;

beforeEach(async () => {
	db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
	await db.schema.createTable('nextpanel_servers', (table) => {
		table.string('id').primary();
		table.string('name');
		table.string('status');
		table.integer('capacity');
		table.text('packages');
		table.string('base_url');
		table.string('api_key');
		table.string('api_secret');
	});
	await db.schema.createTable('hosting_accounts', (table) => {
		table.increments('id');
		table.string('server');
		table.string('status');
	});
});

afterEach(async () => {
	await db.destroy();
});

const basic: ServerPackage = { id: 1, name: 'Basic' };
const business: ServerPackage = { id: 2, name: 'Business' };
const gold: ServerPackage = { id: 3, name: 'Gold' };

async function addServer(
	id: string,
	{
		packages = null,
		capacity = 10,
		status = 'active',
		used = 0,
	}: { packages?: ServerPackage[] | null; capacity?: number; status?: string; used?: number } = {},
): Promise<void> {
	await db('nextpanel_servers').insert({
		id,
		name: id.toUpperCase(),
		status,
		capacity,
		packages: packages ? JSON.stringify(packages) : null,
		base_url: 'https://np.example.com',
		api_key: 'k',
		api_secret: 's',
	});
	if (used) await db('hosting_accounts').insert(Array.from({ length: used }, () => ({ server: id, status: 'active' })));
}

const automatic = async (pkg: number | null) => {
	const choice = await chooseServer(db, { server: null, package: pkg }, { lock: false });
	return 'problem' in choice ? choice.problem : { server: choice.server.id };
};

describe('chooseServer, automatic, with a package', () => {
	test('without a package: the active server with the most free slots', async () => {
		await addServer('a', { packages: [basic], capacity: 5 });
		await addServer('b', { packages: [gold], capacity: 50 });
		await addServer('off', { capacity: 500, status: 'disabled' });
		expect(await automatic(null)).toEqual({ server: 'b' });
	});

	test('only a server that offers the package is picked, even with fewer free slots', async () => {
		await addServer('a', { packages: [basic, gold], capacity: 5 });
		await addServer('b', { packages: [basic, business], capacity: 50 });
		expect(await automatic(3)).toEqual({ server: 'a' });
		expect(await automatic(1)).toEqual({ server: 'b' });
	});

	test('a server without a package list offers any package', async () => {
		await addServer('listed', { packages: [basic], capacity: 50 });
		await addServer('any', { capacity: 5 });
		expect(await automatic(9)).toEqual({ server: 'any' });
		expect(await automatic(1)).toEqual({ server: 'listed' });
	});

	test('a full server that offers the package is passed over for one with room', async () => {
		await addServer('full', { packages: [gold], capacity: 1, used: 1 });
		await addServer('room', { packages: [gold], capacity: 2, used: 1 });
		expect(await automatic(3)).toEqual({ server: 'room' });
	});

	test('a package no active server offers is bad input that names what they offer', async () => {
		await addServer('a', { packages: [gold, business] });
		await addServer('b', { packages: [business, basic] });
		await addServer('off', { status: 'disabled' });
		const problem = await automatic(9);
		expect(problem).toEqual({
			kind: 'package',
			message:
				'no active NextPanel server offers package 9 (they offer 1 Basic, 2 Business, 3 Gold); choose one of those, or a server and one of its packages',
		});
		// A 400 on the package field, as the caller names it.
		const rest = serverChoiceError({ problem: problem as never, fields: ACCOUNT_FIELD_NAMES, chosen: false });
		expect(rest).toMatchObject({ status: 400, code: 'INVALID_PAYLOAD' });
		expect(rest.message).toMatch(/package: no active NextPanel server offers package 9 \(they offer 1 Basic/);
		const customer = serverChoiceError({ problem: problem as never, fields: CUSTOMER_FIELD_NAMES, chosen: false });
		expect(customer.message).toMatch(/hosting_package: no active NextPanel server offers package 9/);
	});

	test('a package only a disabled server offers is not offered', async () => {
		await addServer('a', { packages: [basic] });
		await addServer('off', { packages: [gold], status: 'disabled' });
		expect(await automatic(3)).toMatchObject({ kind: 'package' });
	});

	test('when every server offering the package is full, the answer says so and is a conflict', async () => {
		await addServer('full', { packages: [gold], capacity: 1, used: 1 });
		await addServer('room', { packages: [basic], capacity: 10 });
		const problem = await automatic(3);
		expect(problem).toEqual({
			kind: 'full',
			message: 'every active NextPanel server that offers package 3 is full (FULL: 1/1); raise a capacity, or choose another package',
		});
		expect(serverChoiceError({ problem: problem as never, fields: ACCOUNT_FIELD_NAMES, chosen: false })).toMatchObject({ status: 409 });
	});

	test('every server full, without a package: the plain "every server is full"', async () => {
		await addServer('a', { capacity: 1, used: 1 });
		expect(await automatic(null)).toEqual({
			kind: 'full',
			message: 'every active NextPanel server is full (A: 1/1); raise a capacity or add a server',
		});
	});

	test('a long list of offered packages is cut short', async () => {
		await addServer('a', { packages: Array.from({ length: 25 }, (_, i) => ({ id: i + 1, name: `P${i + 1}` })) });
		const problem = await automatic(99);
		expect(problem).toMatchObject({ kind: 'package' });
		expect((problem as { message: string }).message).toMatch(/20 P20, \u2026\); choose/);
		expect((problem as { message: string }).message).not.toMatch(/21 P21/);
	});
});

describe('chooseServer, a chosen server', () => {
	test('refuses a package the chosen server does not list', async () => {
		await addServer('a', { packages: [basic] });
		const choice = await chooseServer(db, { server: 'a', package: 3 }, { lock: false });
		expect(choice).toEqual({
			problem: { kind: 'package', message: 'package 3 is not offered by NextPanel server "A" (it offers 1 Basic)' },
		});
	});
});

describe('automaticCandidates (the app\u2019s rule)', () => {
	test('are exactly the servers the API\u2019s automatic choice can pick', () => {
		const serverArb = fc.record({
			status: fc.constantFrom('active', 'disabled'),
			capacity: fc.integer({ min: 0, max: 3 }),
			used: fc.integer({ min: 0, max: 4 }),
		});
		fc.assert(
			fc.property(fc.array(serverArb, { maxLength: 6 }), (rows) => {
				const usage = withUsage(
					rows.map((row, i) => ({ id: String(i), name: `S${i}`, status: row.status, capacity: row.capacity, packages: [] })),
					new Map(rows.map((row, i) => [String(i), row.used])),
				);
				const candidates = automaticCandidates(usage).map((s) => s.id);
				// mostFreeActive picks among exactly these: each alone is picked, and none of the others is ever.
				for (const s of usage) expect(mostFreeActive([s]) !== null).toBe(candidates.includes(s.id));
				const best = mostFreeActive(usage);
				expect(best === null ? null : candidates.includes(best.id)).toBe(candidates.length ? true : null);
			}),
		);
	});
});

describe('sharedPackages against the automatic choice', () => {
	test('a shared package leaves the automatic choice where it was; any other package narrows or is refused', async () => {
		const pkg = fc.constantFrom(basic, business, gold);
		const serverArb = fc.record({
			status: fc.constantFrom('active', 'active', 'disabled'),
			capacity: fc.integer({ min: 0, max: 3 }),
			used: fc.integer({ min: 0, max: 3 }),
			packages: fc.option(fc.uniqueArray(pkg, { selector: (p) => p.id, maxLength: 3 }), { nil: null }),
		});
		await fc.assert(
			fc.asyncProperty(fc.array(serverArb, { minLength: 1, maxLength: 4 }), async (rows) => {
				await db('hosting_accounts').delete();
				await db('nextpanel_servers').delete();
				for (const [i, row] of rows.entries()) await addServer(`s${i}`, row);
				const servers = withUsage(
					rows.map((row, i) => ({ id: `s${i}`, name: `S${i}`, status: row.status, capacity: row.capacity, packages: row.packages ?? [] })),
					new Map(rows.map((row, i) => [`s${i}`, row.used])),
				);
				const shared = sharedPackages(servers);
				const unchosen = await automatic(null);
				for (const id of [1, 2, 3]) {
					const fit = automaticPackageFit(id, servers);
					const chosen = await automatic(id);
					// With no server that can take it, every choice is refused (the reason may differ).
					if ('kind' in unchosen) expect(chosen).toHaveProperty('kind');
					else if (shared === null || shared.some((p) => p.id === id)) expect(chosen).toEqual(unchosen);
					if (fit.kind === 'none') expect(chosen).toHaveProperty('kind');
					else
						expect(fit.kind === 'shared' ? servers.map((s) => s.name) : fit.servers).toContain(
							servers.find((s) => s.id === (chosen as { server: string }).server)!.name,
						);
				}
			}),
			{ numRuns: 60 },
		);
	});
});
