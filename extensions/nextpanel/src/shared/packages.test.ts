import { describe, expect, test } from 'vitest';
import {
	automaticPackageFit,
	describePackage,
	packageProblem,
	parsePackages,
	sharedPackages,
	type PackageServer,
	type ServerPackage,
} from './packages.ts';

const basic: ServerPackage = { id: 1, name: 'Basic', disk_mb: 1024 };
const business: ServerPackage = { id: 2, name: 'Business', disk_mb: 10240, bandwidth_mb: 102400 };
const gold: ServerPackage = { id: 3, name: 'Gold' };

const server = (name: string, packages: ServerPackage[], overrides: Partial<PackageServer> = {}): PackageServer => ({
	name,
	status: 'active',
	free: 10,
	packages,
	...overrides,
});

const ids = (list: ServerPackage[] | null) => list?.map((pkg) => pkg.id) ?? null;

describe('describePackage and packageProblem', () => {
	test('a package reads with its limits', () => {
		expect(describePackage(business)).toBe('Business (10 GB disk, 100 GB traffic)');
		expect(describePackage(gold)).toBe('Gold');
	});

	test('a server without a list takes any package; one with a list names what it offers', () => {
		expect(packageProblem(9, [], 'EU-1')).toBeNull();
		expect(packageProblem(1, [basic], 'EU-1')).toBeNull();
		expect(packageProblem(9, [basic], 'EU-1')).toBe('package 9 is not offered by NextPanel server "EU-1" (it offers 1 Basic)');
	});

	test('an unreadable list counts as none', () => {
		expect(parsePackages('{not json')).toEqual([]);
		expect(parsePackages(JSON.stringify([basic]))).toEqual([basic]);
	});
});

describe('sharedPackages', () => {
	test('the packages every candidate server lists, in the first server\u2019s order', () => {
		const shared = sharedPackages([server('EU-1', [gold, business, basic]), server('EU-2', [basic, business])]);
		expect(ids(shared)).toEqual([2, 1]);
	});

	test('a server without a package list offers any package: it does not narrow the set', () => {
		expect(ids(sharedPackages([server('EU-1', [basic, business]), server('Any', [])]))).toEqual([1, 2]);
		expect(ids(sharedPackages([server('Any', []), server('EU-1', [business])]))).toEqual([2]);
	});

	test('null when no candidate server lists packages, so any id may be given', () => {
		expect(sharedPackages([])).toBeNull();
		expect(sharedPackages([server('Any', []), server('Other', [])])).toBeNull();
	});

	test('servers the automatic choice cannot pick (disabled, full) do not count', () => {
		const servers = [
			server('EU-1', [basic, business]),
			server('Off', [gold], { status: 'disabled' }),
			server('Full', [basic], { free: 0 }),
		];
		expect(ids(sharedPackages(servers))).toEqual([1, 2]);
		// Only servers that cannot be picked list packages: nothing narrows the choice.
		expect(sharedPackages([server('Any', []), server('Full', [basic], { free: 0 })])).toBeNull();
	});

	test('servers that share nothing leave an empty list (not "any package")', () => {
		expect(sharedPackages([server('EU-1', [basic]), server('EU-2', [gold])])).toEqual([]);
	});

	test('the same id named differently keeps the first name and limits, and the other names', () => {
		const shared = sharedPackages([
			server('EU-1', [business]),
			server('EU-2', [{ id: 2, name: 'Pro', disk_mb: 1 }]),
			server('EU-3', [{ id: 2, name: 'Pro' }]),
			server('EU-4', [{ id: 2, name: 'Business' }]),
		]);
		expect(shared).toEqual([{ ...business, alsoCalled: ['Pro'] }]);
		expect(sharedPackages([server('EU-1', [basic]), server('EU-2', [basic])])).toEqual([{ ...basic, alsoCalled: [] }]);
	});
});

describe('automaticPackageFit', () => {
	const servers = [
		server('EU-1', [basic, business]),
		server('EU-2', [business, gold]),
		server('Full', [{ id: 7, name: 'Seven' }], { free: 0 }),
	];

	test('a package every candidate offers leaves the choice among all of them', () => {
		expect(automaticPackageFit(2, servers)).toEqual({ kind: 'shared' });
		expect(automaticPackageFit(9, [server('Any', [])])).toEqual({ kind: 'shared' });
	});

	test('a package only some candidates offer narrows the choice to them, a server without a list among them', () => {
		expect(automaticPackageFit(3, servers)).toEqual({ kind: 'some', servers: ['EU-2'] });
		expect(automaticPackageFit(3, [...servers, server('Any', [])])).toEqual({ kind: 'some', servers: ['EU-2', 'Any'] });
	});

	test('a package no candidate offers, or only a full or disabled server, cannot be provisioned automatically', () => {
		expect(automaticPackageFit(9, servers)).toEqual({ kind: 'none' });
		expect(automaticPackageFit(7, servers)).toEqual({ kind: 'none' });
		expect(automaticPackageFit(1, [])).toEqual({ kind: 'none' });
	});

	test('every shared package fits every candidate', () => {
		for (const pkg of sharedPackages(servers)!) expect(automaticPackageFit(pkg.id, servers)).toEqual({ kind: 'shared' });
	});
});
