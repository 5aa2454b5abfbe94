import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { idOption, operationServices, parseOptions, permissionsOption } from '../shared-api.ts';

const optionsSchema = z.object({ server: idOption('Server'), permissions: permissionsOption });

export default defineOperationApi({
	id: 'nextpanel-drift-check',
	handler: async (options, context) => {
		const input = parseOptions(optionsSchema, options, 'Check NextPanel drift');
		const { adoption } = await operationServices(context, input.permissions);
		const rows = await adoption.driftOf(input.server);
		return { server: input.server, in_step: rows.length === 0, count: rows.length, rows };
	},
});
