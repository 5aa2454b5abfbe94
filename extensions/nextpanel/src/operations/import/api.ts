import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { idOption, operationServices, parseOptions, permissionsOption } from '../shared-api.ts';

const flag = z.preprocess(
	(value) => (value === null || value === undefined || value === '' ? false : value),
	z.boolean({ error: 'must be true or false' }),
);
const optionsSchema = z.object({ server: idOption('Server'), dry_run: flag, create_customers: flag, permissions: permissionsOption });

export default defineOperationApi({
	id: 'nextpanel-import',
	handler: async (options, context) => {
		const input = parseOptions(optionsSchema, options, 'Import NextPanel accounts');
		const { adoption } = await operationServices(context, input.permissions);
		return adoption.importFromServer(input.server, { dry_run: input.dry_run, create_customers: input.create_customers });
	},
});
