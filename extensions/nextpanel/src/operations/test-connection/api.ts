import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { readAsCaller, requireUpdateAccess } from '../../core/access.ts';
import { NextPanelUpstreamError } from '../../core/errors.ts';
import { useRuntime } from '../../core/runtime.ts';
import { recordServerCheck } from '../../core/server-checks.ts';
import { accountabilityFor, idOption, parseOptions, permissionsOption } from '../shared-api.ts';

const optionsSchema = z.object({ server: idOption('Server'), permissions: permissionsOption });

export default defineOperationApi({
	id: 'nextpanel-test-connection',
	handler: async (options, context) => {
		const runtime = useRuntime(context);
		const { server, permissions } = parseOptions(optionsSchema, options, 'Test NextPanel connection');
		const accountability = accountabilityFor(permissions, context.accountability);
		const schema = await context.getSchema();
		await readAsCaller(runtime, schema, accountability, 'nextpanel_servers', server, ['id']);
		await requireUpdateAccess(runtime, schema, accountability, 'nextpanel_servers', server, 'record a connection test on this server');
		const result = await recordServerCheck(runtime, server, accountability);
		// A failed test takes the reject path, carrying the same result for the next operation.
		if (!result.ok) throw new NextPanelUpstreamError({ reason: result.message, nextpanel_code: result.status, nextpanel_status: null });
		return result;
	},
});
