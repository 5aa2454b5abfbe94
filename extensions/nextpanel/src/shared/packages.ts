// The hosting packages a NextPanel server offers, as an administrator lists them on the server
// (NextPanel's API has no route that lists them). Shared by the app's pickers and the API's
// check that a requested package is one the server offers.
import { z } from 'zod';

export const serverPackageSchema = z.object({
	id: z.number().int().min(0),
	name: z.string().trim().min(1).max(100),
	disk_mb: z.number().int().min(0).nullish(),
	bandwidth_mb: z.number().int().min(0).nullish(),
	note: z.string().max(200).nullish(),
});

export const packageListSchema = z.array(serverPackageSchema).refine((list) => new Set(list.map((p) => p.id)).size === list.length, {
	message: 'each package id may appear only once',
});

export type ServerPackage = z.infer<typeof serverPackageSchema>;

/** "Standard (5 GB disk, 50 GB traffic)" */
export function describePackage(pkg: ServerPackage): string {
	const size = (mb: number) => (mb >= 1024 ? `${Math.round((mb / 1024) * 10) / 10} GB` : `${mb} MB`);
	const limits = [pkg.disk_mb ? `${size(pkg.disk_mb)} disk` : null, pkg.bandwidth_mb ? `${size(pkg.bandwidth_mb)} traffic` : null].filter(
		Boolean,
	);
	return limits.length ? `${pkg.name} (${limits.join(', ')})` : pkg.name;
}

/** Why `packageId` cannot be provisioned on a server offering `offered`, or null. No list means any package. */
export function packageProblem(packageId: number | null, offered: ServerPackage[], serverName: string): string | null {
	if (packageId === null || offered.length === 0) return null;
	if (offered.some((p) => p.id === packageId)) return null;
	return `package ${packageId} is not offered by NextPanel server "${serverName}" (it offers ${offered.map((p) => `${p.id} ${p.name}`).join(', ')})`;
}

/** A package list as stored (JSON text in SQLite, json in PostgreSQL); an unreadable list counts as none. */
export function parsePackages(value: unknown): ServerPackage[] {
	let list = value;
	if (typeof value === 'string') {
		try {
			list = JSON.parse(value);
		} catch {
			return [];
		}
	}
	const parsed = packageListSchema.safeParse(list ?? []);
	return parsed.success ? parsed.data : [];
}

/** A server as the automatic choice sees it: its state, its free slots and its package list. */
export interface PackageServer {
	name: string;
	status: string;
	free: number;
	packages: ServerPackage[];
}

/** One package the automatic choice can take on every server it could pick. */
export interface SharedPackage extends ServerPackage {
	/** The other names this id has on other servers (NextPanel provisions by id; names are each server's own). */
	alsoCalled: string[];
}

/**
 * The servers "Automatic" can pick now: active, with a free slot. The same rule as the automatic
 * choice on the API (`mostFreeActive` in core/lib/capacity.ts), which only ever picks among these.
 */
export function automaticCandidates<T extends PackageServer>(servers: readonly T[]): T[] {
	return servers.filter((server) => server.status === 'active' && server.free > 0);
}

/**
 * The packages every server the automatic choice could pick offers, so that choosing one of them
 * leaves the choice among all those servers. A server without a package list offers any package
 * and does not narrow the set. Null when no such server lists packages: any id may be given.
 *
 * Order, name and limits are those of the first listing server (in the order given: the capacity
 * route lists servers by name); where another server names the same id differently, that name is
 * kept in `alsoCalled`, so a person sees that the id means different things on different servers.
 */
export function sharedPackages(servers: readonly PackageServer[]): SharedPackage[] | null {
	const lists = automaticCandidates(servers)
		.map((server) => server.packages)
		.filter((list) => list.length > 0);
	const [first, ...others] = lists;
	if (!first) return null;
	return first
		.filter((pkg) => others.every((list) => list.some((other) => other.id === pkg.id)))
		.map((pkg) => {
			const names = others.map((list) => list.find((other) => other.id === pkg.id)!.name).filter((name) => name !== pkg.name);
			return { ...pkg, alsoCalled: [...new Set(names)] };
		});
}

/**
 * What "Automatic" does with package `packageId`: every server it could pick offers it
 * (`shared`), only some of them do and it picks among those (`some`, with their names), or none
 * does and the API refuses the account (`none`).
 */
export function automaticPackageFit(
	packageId: number,
	servers: readonly PackageServer[],
): { kind: 'shared' } | { kind: 'some'; servers: string[] } | { kind: 'none' } {
	const candidates = automaticCandidates(servers);
	const offering = candidates.filter((server) => packageProblem(packageId, server.packages, server.name) === null);
	if (offering.length === 0) return { kind: 'none' };
	if (offering.length === candidates.length) return { kind: 'shared' };
	return { kind: 'some', servers: offering.map((server) => server.name) };
}
