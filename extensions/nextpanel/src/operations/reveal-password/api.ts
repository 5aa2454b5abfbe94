import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { InvalidPayloadError } from '../../core/errors.ts';
import { idOption, operationServices, parseOptions, permissionsOption } from '../shared-api.ts';

const optionsSchema = z.object({ account: idOption('Hosting account'), permissions: permissionsOption });

export default defineOperationApi({
	id: 'nextpanel-reveal-password',
	handler: async (options, context) => {
		const input = parseOptions(optionsSchema, options, 'Reveal hosting password');
		// A flow that keeps "Activity & Revisions" stores every operation's result and the options
		// rendered from it: the password would be kept in plain text. Refuse before taking it.
		const flow = (context as { flow?: { accountability?: string | null } }).flow;
		if (flow?.accountability === 'all') {
			throw new InvalidPayloadError({
				reason:
					'Reveal hosting password: this flow\'s tracking is "Activity & Revisions", which would store the password in its logs. Set the flow\'s tracking to "Activity" or "Disabled" first.',
			});
		}
		const { accounts } = await operationServices(context, input.permissions);
		const password = await accounts.revealPassword(input.account);
		const account = await accounts.readVisible(input.account);
		return { id: input.account, username: account['username'] ?? null, password };
	},
});
