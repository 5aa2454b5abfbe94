import { defineOperationApp } from '@directus/extensions-sdk';
import { accountOption, customerTargetOption, permissionsField, targetOverview } from '../shared-app.ts';

export default defineOperationApp({
	id: 'nextpanel-extend-term',
	name: 'Extend hosting term',
	icon: 'event_repeat',
	description:
		"Move a hosting account's paid until date on (or every account of a customer): by days or months from the end of the term, or to a date. An overdue suspension is lifted once the term is paid.",
	overview: (options) => [
		...targetOverview(options),
		{
			label: 'Extend',
			text: options['until']
				? `to ${String(options['until'])}`
				: options['months']
					? `by ${String(options['months'])} month(s)`
					: `by ${String(options['days'] ?? '—')} day(s)`,
		},
	],
	options: [
		accountOption,
		customerTargetOption,
		{
			field: 'months',
			name: 'By months',
			type: 'integer',
			meta: { width: 'half', interface: 'input', options: { min: 1, placeholder: 'e.g. 1 or 12' } },
		},
		{ field: 'days', name: 'Or by days', type: 'integer', meta: { width: 'half', interface: 'input', options: { min: 1 } } },
		{
			field: 'until',
			name: 'Or to this date',
			type: 'string',
			meta: { width: 'half', interface: 'input', options: { placeholder: 'YYYY-MM-DD or {{$trigger.payload.paid_until}}' } },
		},
		permissionsField,
	],
});
