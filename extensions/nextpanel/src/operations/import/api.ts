import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { idOption, operationServices, parseOptions, permissionsOption } from '../shared-api.ts';

const flag = z.preprocess(
	(value) => (value === null || value === undefined || value === '' ? false : value),
	z.boolean({ error: 'must be true or false' }),
);
const optionsSchema = z.object({
	server: idOption('Server'),
	dry_run: flag,
	create_customers: flag,
	paid_until: z.preprocess(
		(value) => (value === '' || value === undefined ? null : value),
		z.iso.date({ error: 'must be a date (YYYY-MM-DD)' }).nullable(),
	),
	overdue_exempt: flag,
	permissions: permissionsOption,
});

export default defineOperationApi({
	id: 'nextpanel-import',
	handler: async (options, context) => {
		const input = parseOptions(optionsSchema, options, 'Import NextPanel accounts');
		const { adoption } = await operationServices(context, input.permissions);
		const { server, permissions: _permissions, ...request } = input;
		return adoption.importFromServer(server, request);
	},
});
