// The manual flow "NextPanel: hosting action", made once by an install step: Directus 12's AI
// Assistant and MCP clients run active manual flows (their trigger-flow tool), and this one lets
// them provision, suspend, unsuspend, sync usage and extend terms, with the rights of whoever
// triggers it. One flow, because a core project allows five active flows; made inactive, and said
// so, when the project has no room for another. Like the dashboard, it is the administrator's
// from then on, and removing the plugin removes it.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import { HOSTING_ACTIONS, HOSTING_ACTION_LABELS } from '../../shared/hosting-action.ts';
import type { Runtime } from '../runtime.ts';
import { STEP_TABLE, recordCreated } from './step-log.ts';

export const HOSTING_ACTION_FLOW_NAME = 'NextPanel: hosting action';
export const HOSTING_ACTION_STEP = 'hosting-action-flow';
const CREATED_INACTIVE = 'created inactive: no room for another active flow';

/** What the assistant reads to choose the flow, and a person reads in the Flows list. */
const DESCRIPTION =
	'Runs a NextPanel hosting action on the selected customers or hosting accounts: provision hosting for customers, ' +
	'suspend with a reason, unsuspend, sync usage from NextPanel, or extend the paid term by days, months or to a date. ' +
	'It acts with the permissions of whoever triggers it. It never terminates an account and never reveals a password.';

function flowOptions(customers: string) {
	return {
		collections: [customers, 'hosting_accounts'],
		location: 'both',
		requireConfirmation: true,
		// The caller (the app, the assistant, an MCP client) gets the outcome, and a refusal as an error.
		async: false,
		return: '$last',
		error_on_reject: true,
		confirmationDescription: 'NextPanel hosting action',
		fields: [
			{
				field: 'action',
				type: 'string',
				name: 'Action',
				meta: {
					interface: 'select-dropdown',
					required: true,
					width: 'full',
					options: { choices: HOSTING_ACTIONS.map((action) => ({ text: HOSTING_ACTION_LABELS[action], value: action })) },
				},
			},
			{ field: 'reason', type: 'string', name: 'Reason (suspend)', meta: { interface: 'input', width: 'full' } },
			{ field: 'days', type: 'integer', name: 'Days (extend)', meta: { interface: 'input', width: 'half' } },
			{ field: 'months', type: 'integer', name: 'Months (extend)', meta: { interface: 'input', width: 'half' } },
			{ field: 'until', type: 'date', name: 'Until (extend)', meta: { interface: 'datetime', width: 'half' } },
		],
	};
}

const OPERATION_OPTIONS = {
	action: '{{$trigger.body.action}}',
	collection: '{{$trigger.body.collection}}',
	keys: '{{$trigger.body.keys}}',
	reason: '{{$trigger.body.reason}}',
	days: '{{$trigger.body.days}}',
	months: '{{$trigger.body.months}}',
	until: '{{$trigger.body.until}}',
};

const SYSTEM: Accountability | null = null;

const isFlowLimit = (error: unknown) =>
	(error as { code?: unknown } | null)?.code === 'LIMIT_EXCEEDED' &&
	(error as { extensions?: { category?: unknown } }).extensions?.category === 'flows';

/** Creates the flow with its one operation; the step's detail says whether it is active. */
export async function createHostingActionFlow(runtime: Runtime, knex: Knex, schema: SchemaOverview, customers: string): Promise<string> {
	const flows = new runtime.services.FlowsService({ knex, schema, accountability: SYSTEM });
	const flow = {
		name: HOSTING_ACTION_FLOW_NAME,
		icon: 'dns',
		color: null,
		description: DESCRIPTION,
		trigger: 'manual' as const,
		accountability: 'all' as const,
		options: flowOptions(customers),
	};
	let id: string;
	let detail: string;
	try {
		id = String(await flows.createOne({ ...flow, status: 'active' }));
		detail = 'created active';
	} catch (error) {
		if (!isFlowLimit(error)) throw error;
		id = String(await flows.createOne({ ...flow, status: 'inactive' }));
		detail = CREATED_INACTIVE;
		runtime.logger.warn(
			`nextpanel: created the flow "${HOSTING_ACTION_FLOW_NAME}" inactive: the project has as many active flows as Directus allows without a licence. Deactivate another flow to use it.`,
		);
	}
	const operations = new runtime.services.OperationsService({ knex, schema, accountability: SYSTEM });
	const operation = await operations.createOne({
		flow: id,
		key: 'hosting_action',
		name: 'NextPanel hosting action',
		type: 'nextpanel-hosting-action',
		position_x: 19,
		position_y: 1,
		options: OPERATION_OPTIONS,
	});
	await flows.updateOne(id, { operation: String(operation) });
	await recordCreated(knex, [{ kind: 'flow', name: id }]);
	return `${detail} ${id}`;
}

/** For the status route: the flow was made inactive for lack of room and is inactive still. */
export async function hostingActionFlowNotice(knex: Knex): Promise<string | null> {
	if (!(await knex.schema.hasTable(STEP_TABLE))) return null;
	const step = await knex(STEP_TABLE).select('detail').where({ step: HOSTING_ACTION_STEP }).first();
	const id = (step?.detail as string | undefined)?.startsWith(CREATED_INACTIVE) ? step.detail.slice(CREATED_INACTIVE.length + 1) : null;
	if (!id) return null;
	const flow = await knex('directus_flows').select('status').where({ id }).first();
	if (!flow || flow.status === 'active') return null;
	return `The flow "${HOSTING_ACTION_FLOW_NAME}" is inactive: the project had as many active flows as Directus allows without a licence (5) when it was made. Deactivate another flow and activate it, so that the AI Assistant and MCP clients can use it.`;
}
