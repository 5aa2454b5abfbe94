// Which flows would keep a revealed password in `directus_revisions`. Directus hands an operation
// the context of the outermost flow: a webhook flow that runs a child flow through a "Trigger
// Flow" operation passes its own `context.flow` down, so the child's tracking cannot be read
// from the context. The decision is made from the flows themselves instead: every flow on a path
// from the running flow to a flow that holds this operation stores its operations' results (the
// trigger operation's result is the child flow's answer), so none of them may record revisions.
import type { Knex } from 'knex';

export const REVEAL_OPERATION = 'nextpanel-reveal-password';

interface FlowRow {
	id: string;
	name: string | null;
	accountability: string | null;
}

interface OperationRow {
	flow: string;
	type: string;
	options: unknown;
}

function triggeredFlow(options: unknown): string | null {
	const parsed: unknown = typeof options === 'string' ? safeJson(options) : options;
	if (!parsed || typeof parsed !== 'object' || !('flow' in parsed)) return null;
	const flow = (parsed as { flow: unknown }).flow;
	return typeof flow === 'string' && flow ? flow : null;
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}

/**
 * The names of the flows that record revisions and would see the password when `startFlow` runs
 * (itself, any flow it triggers on the way to a flow holding the operation, and those flows).
 * Without a start flow every flow holding the operation is a start.
 */
export async function flowsKeepingRevisions(knex: Knex, startFlow: string | null | undefined): Promise<string[]> {
	const [flows, operations] = await Promise.all([
		knex('directus_flows').select('id', 'name', 'accountability') as Promise<FlowRow[]>,
		knex('directus_operations').select('flow', 'type', 'options') as Promise<OperationRow[]>,
	]);
	const byId = new Map(flows.map((flow) => [String(flow.id), flow]));
	const children = new Map<string, Set<string>>();
	const holders = new Set<string>();
	for (const operation of operations) {
		const owner = String(operation.flow);
		if (operation.type === REVEAL_OPERATION) holders.add(owner);
		if (operation.type !== 'trigger') continue;
		const child = triggeredFlow(operation.options);
		if (child) children.set(owner, (children.get(owner) ?? new Set()).add(child));
	}

	const starts = startFlow && byId.has(String(startFlow)) ? [String(startFlow)] : [...holders];
	const reachable = new Set<string>(starts);
	const queue = [...starts];
	while (queue.length) {
		for (const child of children.get(queue.shift()!) ?? []) {
			if (!reachable.has(child)) {
				reachable.add(child);
				queue.push(child);
			}
		}
	}

	// Of the reachable flows, those that hold the operation or lead to one that does.
	const leadsToHolder = new Set([...reachable].filter((id) => holders.has(id)));
	for (let grew = true; grew;) {
		grew = false;
		for (const id of reachable) {
			if (leadsToHolder.has(id)) continue;
			if ([...(children.get(id) ?? [])].some((child) => leadsToHolder.has(child))) {
				leadsToHolder.add(id);
				grew = true;
			}
		}
	}
	return [...leadsToHolder]
		.map((id) => byId.get(id))
		.filter((flow): flow is FlowRow => flow?.accountability === 'all')
		.map((flow) => flow.name || String(flow.id));
}
