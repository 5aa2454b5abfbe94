import { defineOperationApi } from '@directus/extensions-sdk';
import { z } from 'zod';
import { InvalidPayloadError } from '../../core/errors.ts';
import { excerpt } from '../../shared/text.ts';
import { flowsKeepingRevisions } from './flow-tracking.ts';
import { idOption, operationServices, parseOptions, permissionsOption } from '../shared-api.ts';

const optionsSchema = z.object({ account: idOption('Hosting account'), permissions: permissionsOption });

export default defineOperationApi({
	id: 'nextpanel-reveal-password',
	handler: async (options, context) => {
		const input = parseOptions(optionsSchema, options, 'Reveal hosting password');
		// A flow that keeps "Activity & Revisions" stores every operation's result and the options
		// rendered from it: the password would be kept in plain text. Refuse before taking it, and
		// judge by every flow the password passes through, not by the outer flow Directus names.
		const flow = (context as { flow?: { id?: string } }).flow;
		const keeping = await flowsKeepingRevisions(context.database, flow?.id);
		if (keeping.length) {
			throw new InvalidPayloadError({
				reason: `Reveal hosting password: the tracking of ${keeping.map((name) => `"${excerpt(name)}"`).join(', ')} is "Activity & Revisions", which would store the password in its logs. Set the tracking of every flow on the way to this operation to "Activity" or "Disabled" first.`,
			});
		}
		const { accounts } = await operationServices(context, input.permissions);
		const password = await accounts.revealPassword(input.account);
		const account = await accounts.readVisible(input.account);
		return { id: input.account, username: account['username'] ?? null, password };
	},
});
