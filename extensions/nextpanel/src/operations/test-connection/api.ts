import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { NextPanelUpstreamError } from '../../core/errors.ts';
import { idOption, operationServices, parseOptions, permissionsOption } from '../shared-api.ts';

const optionsSchema = z.object({ server: idOption('Server'), permissions: permissionsOption });

export default defineOperationApi({
	id: 'nextpanel-test-connection',
	handler: async (options, context) => {
		const { server, permissions } = parseOptions(optionsSchema, options, 'Test NextPanel connection');
		const { servers } = await operationServices(context, permissions);
		// Only the saved values, recorded on the server: a Flow never combines a saved secret with other values.
		const result = await servers.testSaved(server);
		// A failed test takes the reject path, carrying the same result for the next operation.
		if (!result.ok) throw new NextPanelUpstreamError({ reason: result.message, nextpanel_code: result.status, nextpanel_status: null });
		return result;
	},
});
