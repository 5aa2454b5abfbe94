// What every NextPanel Flow operation does around the service call: read its options (template
// variables are already rendered by Directus), pick whose rights to use, and return plain JSON
// for the next operation - or throw, so the flow takes its reject path.
import type { Accountability, ApiExtensionContext, SchemaOverview } from '@directus/types';
import { z } from 'zod';
import { sudo } from '../core/access.ts';
import { InvalidPayloadError } from '../core/errors.ts';
import { HostingAccountsService } from '../core/hosting-accounts/hosting-accounts-service.ts';
import { ProvisioningService } from '../core/hosting-accounts/provisioning-service.ts';
import { ServerAdoptionService } from '../core/hosting-accounts/server-adoption-service.ts';
import { NextPanelServersService } from '../core/nextpanel-servers-service.ts';
import { useRuntime, type Runtime } from '../core/runtime.ts';
import { describeIssues } from '../shared/api-schemas.ts';

/** An id option: a plain string or number, or the `{key, collection}` object of a collection-item picker. */
export const idOption = (label: string, uuid = true) =>
	z.preprocess(
		(value) =>
			value && typeof value === 'object' && 'key' in value
				? (value as { key: unknown }).key
				: typeof value === 'string'
					? value.trim()
					: value,
		uuid
			? z.uuid({ error: `${label} must be the id (UUID) of an item, e.g. {{$trigger.key}}` })
			: z
					.union([z.string().min(1).max(255), z.number().int().positive()], {
						error: `${label} must be the id of an item, e.g. {{$trigger.key}}`,
					})
					.transform(String),
	);

const isEmpty = (value: unknown) =>
	value === '' ||
	value === null ||
	value === undefined ||
	(typeof value === 'object' && value !== null && 'key' in value && !(value as { key: unknown }).key);

export const optionalIdOption = (label: string, uuid = true) =>
	z.preprocess((value) => (isEmpty(value) ? undefined : value), idOption(label, uuid).optional());

export function parseOptions<T extends z.ZodType>(schema: T, options: unknown, operation: string): z.infer<T> {
	const result = schema.safeParse(options ?? {});
	if (!result.success) throw new InvalidPayloadError({ reason: `${operation}: ${describeIssues(result.error)}` });
	return result.data;
}

/**
 * Directus's own operations take a `permissions` option: act as whoever triggered the flow
 * ($trigger, the default) or with full access ($full), still attributed to that person.
 */
export const permissionsOption = z.enum(['$trigger', '$full']).default('$trigger');

export interface OperationServices {
	runtime: Runtime;
	schema: SchemaOverview;
	accountability: Accountability | null;
	provisioning: ProvisioningService;
	accounts: HostingAccountsService;
	adoption: ServerAdoptionService;
	servers: NextPanelServersService;
}

export async function operationServices(
	context: ApiExtensionContext & { accountability?: Accountability | null },
	permissions: '$trigger' | '$full',
): Promise<OperationServices> {
	const runtime = useRuntime(context);
	const schema = await context.getSchema();
	const trigger = context.accountability ?? null;
	const accountability = permissions === '$full' ? sudo(trigger) : trigger;
	const options = { runtime, schema, accountability };
	return {
		...options,
		provisioning: new ProvisioningService(options),
		accounts: new HostingAccountsService(options),
		adoption: new ServerAdoptionService(options),
		servers: new NextPanelServersService(options),
	};
}
