// Creates a flow and its operations from a JSON description (docs/flows/*.json): operations are
// created last-first so each can point at the ones it resolves or rejects to.
import { readFileSync } from 'node:fs';
import { createFlow, createOperation, updateFlow, type RestClient } from '@directus/sdk';

export interface FlowFile {
	flow: Record<string, unknown>;
	start: string;
	operations: {
		key: string;
		name: string;
		type: string;
		position_x: number;
		position_y: number;
		options: Record<string, unknown>;
		resolve: string | null;
		reject: string | null;
	}[];
}

export function readFlowFile(path: string): FlowFile {
	return JSON.parse(readFileSync(path, 'utf8')) as FlowFile;
}

export async function importFlow(client: RestClient<object>, file: FlowFile, overrides: Record<string, unknown> = {}): Promise<string> {
	const flow = (await client.request(createFlow({ ...file.flow, ...overrides } as never))) as { id: string };
	const ids = new Map<string, string>();
	const pending = [...file.operations];
	while (pending.length) {
		const index = pending.findIndex((op) => [op.resolve, op.reject].every((next) => next === null || ids.has(next)));
		if (index === -1) throw new Error(`Flow "${String(file.flow['name'])}" has a cycle or an unknown operation key`);
		const [op] = pending.splice(index, 1);
		const created = (await client.request(
			createOperation({
				flow: flow.id,
				key: op!.key,
				name: op!.name,
				type: op!.type,
				position_x: op!.position_x,
				position_y: op!.position_y,
				options: op!.options,
				resolve: op!.resolve ? ids.get(op!.resolve) : null,
				reject: op!.reject ? ids.get(op!.reject) : null,
			} as never),
		)) as { id: string };
		ids.set(op!.key, created.id);
	}
	await client.request(updateFlow(flow.id, { operation: ids.get(file.start) } as never));
	return flow.id;
}
