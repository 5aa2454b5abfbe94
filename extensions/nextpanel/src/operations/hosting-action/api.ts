// "NextPanel: hosting action": one operation for the one manual flow that Directus 12's AI
// Assistant and MCP clients can run (trigger-flow). A core project allows five active flows, so
// the actions share one flow: the flow hands on the selected items and the chosen action, and
// this hands each item to the operation that does that action anywhere else, so a request from
// the assistant runs exactly the code a Flow, the app or REST runs. It acts with the rights of
// whoever triggered it, and it never terminates an account or reveals a password: those stay
// with a person in the hosting panel.
import { defineOperationApi } from '@directus/extensions-sdk';
import type { ApiExtensionContext } from '@directus/types';
import { z } from 'zod';
import { InvalidPayloadError } from '../../core/errors.ts';
import { useRuntime } from '../../core/runtime.ts';
import { HOSTING_ACTIONS, REFUSED_HOSTING_ACTIONS } from '../../shared/hosting-action.ts';
import extendTerm from '../extend-term/api.ts';
import provision from '../provision/api.ts';
import { parseOptions } from '../shared-api.ts';
import suspend from '../suspend/api.ts';
import syncUsage from '../sync-usage/api.ts';
import unsuspend from '../unsuspend/api.ts';

// A field the trigger did not send reaches the options empty, as the text "undefined" (how
// Directus renders a missing {{$trigger.body.x}}), or as its unrendered template.
const blankToUndefined = (value: unknown) =>
	value === '' ||
	value === null ||
	(typeof value === 'string' && (['undefined', 'null'].includes(value.trim()) || /^\{\{.*\}\}$/.test(value.trim())))
		? undefined
		: value;

const optionsSchema = z.object({
	action: z.preprocess(
		(value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
		z
			.string({ error: 'choose an action' })
			.refine((value) => !(REFUSED_HOSTING_ACTIONS as readonly string[]).includes(value), {
				message: 'this flow never terminates an account or reveals a password; a person does that in the hosting panel',
			})
			.pipe(z.enum(HOSTING_ACTIONS, { error: `must be one of ${HOSTING_ACTIONS.join(', ')}` })),
	),
	collection: z.string({ error: 'select customers or hosting accounts' }).min(1),
	keys: z.preprocess(
		(value) => (typeof value === 'string' || typeof value === 'number' ? [value] : value),
		z
			.array(z.union([z.string().min(1), z.number()]), { error: 'select at least one item' })
			.min(1, 'select at least one item')
			.max(50, 'at most 50 items at once'),
	),
	reason: z.preprocess(blankToUndefined, z.string().trim().max(255).optional()),
	days: z.preprocess(blankToUndefined, z.unknown().optional()),
	months: z.preprocess(blankToUndefined, z.unknown().optional()),
	until: z.preprocess(blankToUndefined, z.unknown().optional()),
});

/** Only what the trigger gave: an absent option must stay absent for the operation it goes to. */
const defined = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));

type Handler = (options: Record<string, unknown>, context: ApiExtensionContext) => unknown;
const run = (operation: { handler: unknown }, options: Record<string, unknown>, context: ApiExtensionContext) =>
	(operation.handler as Handler)({ ...options, permissions: '$trigger' }, context);

export default defineOperationApi({
	id: 'nextpanel-hosting-action',
	handler: async (options, context) => {
		const input = parseOptions(optionsSchema, options, 'NextPanel hosting action');
		const customers = useRuntime(context).config.NEXTPANEL_CUSTOMERS_COLLECTION;
		const target = input.collection === 'hosting_accounts' ? 'account' : input.collection === customers ? 'customer' : null;
		if (!target) {
			throw new InvalidPayloadError({
				reason: `NextPanel hosting action: select items of ${customers} or hosting_accounts, not ${input.collection}`,
			});
		}
		if (input.action === 'provision' && target !== 'customer') {
			throw new InvalidPayloadError({ reason: `NextPanel hosting action: provision takes customers (${customers}), not hosting accounts` });
		}
		const results: unknown[] = [];
		for (const key of input.keys) {
			const item = { [target]: String(key) };
			switch (input.action) {
				case 'provision':
					results.push(await run(provision, { customer: String(key) }, context));
					break;
				case 'suspend':
					results.push(await run(suspend, { ...item, reason: input.reason ?? '' }, context));
					break;
				case 'unsuspend':
					results.push(await run(unsuspend, item, context));
					break;
				case 'sync_usage':
					results.push(await run(syncUsage, item, context));
					break;
				case 'extend_term':
					results.push(
						await run(extendTerm, { ...item, ...defined({ days: input.days, months: input.months, until: input.until }) }, context),
					);
					break;
			}
		}
		return { action: input.action, count: results.length, results };
	},
});
