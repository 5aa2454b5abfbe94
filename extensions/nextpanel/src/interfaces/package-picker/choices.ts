// What the package picker shows, from the servers' capacity and the form's values: the chosen
// server's list, or with "Automatic" the packages the servers it could pick share; a number input
// when there is no list; and a warning when the value will not be provisioned as it reads.
import type { ServerCapacity } from '../../shared/api-types.ts';
import {
	automaticCandidates,
	automaticPackageFit,
	describePackage,
	packageProblem,
	sharedPackages,
	type PackageServer,
} from '../../shared/packages.ts';
import { packageItems, serverStrings, type PickerItem } from '../shared/servers.ts';
import { strings } from './strings.ts';

export interface PackagePickerState {
	/** `list`: the chosen server's packages; `shared`: those of the servers "Automatic" could pick; `number`: any id. */
	mode: 'list' | 'shared' | 'number';
	items: PickerItem<number | null>[];
	hint: string;
	/** Why the current value will not be provisioned as it reads, or null. */
	warning: string | null;
}

const asPackageServer = (server: ServerCapacity): PackageServer => ({
	name: server.name,
	status: server.status,
	free: server.free_slots,
	packages: server.packages,
});

export function packagePickerState(servers: ServerCapacity[], serverId: string | null, value: number | null): PackagePickerState {
	if (serverId) {
		const server = servers.find((s) => s.id === serverId) ?? null;
		if (!server || server.packages.length === 0) return { mode: 'number', items: [], hint: serverStrings.packageNumberHint, warning: null };
		const problem = packageProblem(value, server.packages, server.name);
		return {
			mode: 'list',
			items: packageItems(server.packages, value),
			hint: serverStrings.packageListHint(server.name),
			warning: problem ? strings.notOffered(problem) : null,
		};
	}

	const candidates = automaticCandidates(servers.map(asPackageServer));
	const shared = sharedPackages(candidates);
	const fit = value === null || candidates.length === 0 ? null : automaticPackageFit(value, candidates);
	const warning =
		fit?.kind === 'none' ? strings.offeredByNone(value!) : fit?.kind === 'some' ? strings.onlySome(value!, fit.servers) : null;
	if (shared === null) return { mode: 'number', items: [], hint: serverStrings.packageAutomaticHint, warning };

	const items: PickerItem<number | null>[] = [
		{ text: serverStrings.packageDefault, value: null, disabled: false },
		...shared.map((pkg) => ({
			text: `${pkg.id} · ${describePackage(pkg)}${pkg.alsoCalled.length ? strings.alsoCalled(pkg.alsoCalled) : ''}`,
			value: pkg.id,
			disabled: false,
		})),
	];
	if (value !== null && !shared.some((pkg) => pkg.id === value)) items.push({ text: strings.notShared(value), value, disabled: true });
	return { mode: 'shared', items, hint: shared.length ? strings.sharedHint : strings.nothingShared, warning };
}
