// The one rule for "which server takes this account, and if none can, why": the server chosen
// (it must exist, be active, offer the package and have a free slot), or with none chosen the
// active server offering the package with the most free slots (a server without a package list
// offers any package). The app's package picker offers, for "Automatic", the packages these
// candidates share (`sharedPackages` in shared/packages.ts). The check before an account is
// created and the slot reservation inside a claim both ask it; inside a transaction the server
// rows are locked, so no server ever goes over its capacity.
import type { Knex } from 'knex';
import { packageProblem, parsePackages } from '../../shared/packages.ts';
import { isPostgres } from '../runtime.ts';
import { mostFreeActive, slotsUsed, withUsage, type ServerUsage } from './capacity.ts';

/** A server row as the choice reads it, its secret still sealed. */
export interface ServerRow {
	[column: string]: unknown;
	id: string;
	name: string;
	status: string;
	capacity: number | string;
	packages: unknown;
	base_url: string;
	api_key: string;
	api_secret: string;
}

/** Why no server can take the account. `unknown`, `disabled` and `package` are bad input; `full` and `none` are the state of the servers. */
export interface ServerChoiceProblem {
	kind: 'unknown' | 'disabled' | 'package' | 'full' | 'none';
	message: string;
}

export interface ServerWanted {
	server: string | null;
	package: number | null;
	/** An account that already holds a slot it is choosing for again (a retry). */
	excludeAccountId?: string;
}

/** A refusal names at most this many of the packages the servers offer. */
const MAX_PACKAGES_NAMED = 20;

const SERVER_COLUMNS = ['id', 'name', 'status', 'capacity', 'packages', 'base_url', 'api_key', 'api_secret'] as const;

export async function chooseServer(
	knex: Knex,
	wanted: ServerWanted,
	{ lock }: { lock: boolean },
): Promise<{ server: ServerRow; usage: ServerUsage } | { problem: ServerChoiceProblem }> {
	const query = knex('nextpanel_servers').select(SERVER_COLUMNS).orderBy('id');
	if (wanted.server) query.where({ id: wanted.server });
	else query.where({ status: 'active' });
	// Serialises slot accounting per server across connections and instances. NO KEY UPDATE leaves
	// inserts of accounts that reference the server (a KEY SHARE lock) unblocked.
	if (lock && isPostgres(knex)) query.forNoKeyUpdate();
	const rows: ServerRow[] = await query;

	if (wanted.server) {
		const chosen = rows[0];
		if (!chosen) return { problem: { kind: 'unknown', message: `there is no NextPanel server with id "${wanted.server}"` } };
		if (chosen.status !== 'active')
			return {
				problem: { kind: 'disabled', message: `NextPanel server "${chosen.name}" is disabled; choose another server or leave it empty` },
			};
		const offered = packageProblem(wanted.package, parsePackages(chosen.packages), chosen.name);
		if (offered) return { problem: { kind: 'package', message: offered } };
		const [usage] = withUsage([chosen], await slotsUsed(knex, [String(chosen.id)], wanted.excludeAccountId));
		if (usage!.free <= 0) {
			return {
				problem: {
					kind: 'full',
					message: `NextPanel server "${chosen.name}" is full (${usage!.used} of ${usage!.capacity} accounts); raise its capacity or choose another server`,
				},
			};
		}
		return { server: chosen, usage: usage! };
	}

	if (rows.length === 0)
		return { problem: { kind: 'none', message: 'there is no active NextPanel server to provision on: add a server or enable one' } };
	// A package belongs to the servers that offer it: automatic choice only looks at those.
	const offering = rows.filter((row) => packageProblem(wanted.package, parsePackages(row.packages), row.name) === null);
	if (offering.length === 0) {
		// Every active server has a list here (one without would offer any package): name what they
		// offer, by id (a name two servers give one id is the first server's).
		const offered = new Map(rows.flatMap((row) => parsePackages(row.packages)).map((pkg) => [pkg.id, `${pkg.id} ${pkg.name}`]));
		const listed = [...offered.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
		const shown = listed.length > MAX_PACKAGES_NAMED ? [...listed.slice(0, MAX_PACKAGES_NAMED), '\u2026'] : listed;
		return {
			problem: {
				kind: 'package',
				message: `no active NextPanel server offers package ${wanted.package} (they offer ${shown.join(', ')}); choose one of those, or a server and one of its packages`,
			},
		};
	}
	const usage = withUsage(
		offering,
		await slotsUsed(
			knex,
			offering.map((row) => String(row.id)),
			wanted.excludeAccountId,
		),
	);
	const best = mostFreeActive(usage);
	if (!best) {
		return {
			problem: {
				kind: 'full',
				message:
					offering.length < rows.length
						? `every active NextPanel server that offers package ${wanted.package} is full (${usage.map((s) => `${s.name}: ${s.used}/${s.capacity}`).join(', ')}); raise a capacity, or choose another package`
						: `every active NextPanel server is full (${usage.map((s) => `${s.name}: ${s.used}/${s.capacity}`).join(', ')}); raise a capacity or add a server`,
			},
		};
	}
	return { server: offering.find((row) => String(row.id) === best.id)!, usage: best };
}
