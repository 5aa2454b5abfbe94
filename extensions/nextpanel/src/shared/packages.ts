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
