// The option fields the panels share, in Directus's field shape. Every field is plain text or a
// number so that a global variable ({{ server }}, {{ from }}) can stand in for a value.
import { strings } from './strings.ts';

export const serverField = {
	field: 'server',
	name: strings.options.server,
	type: 'string',
	meta: {
		interface: 'input',
		width: 'full',
		note: strings.options.serverNote,
		options: { placeholder: strings.options.allServers, font: 'monospace', trim: true },
	},
} as const;

export function daysField(fallback: number) {
	return {
		field: 'days',
		name: strings.options.range,
		type: 'integer',
		schema: { default_value: fallback },
		meta: {
			interface: 'input',
			width: 'half',
			note: strings.options.rangeNote,
			options: { min: 1, max: 366, placeholder: String(fallback) },
		},
	} as const;
}

function dayField(field: 'from' | 'to') {
	return {
		field,
		name: strings.options[field],
		type: 'string',
		meta: {
			interface: 'input',
			width: 'half',
			note: strings.options.dateNote,
			options: { placeholder: 'YYYY-MM-DD', font: 'monospace', trim: true },
		},
	} as const;
}

export const fromField = dayField('from');
export const toField = dayField('to');
