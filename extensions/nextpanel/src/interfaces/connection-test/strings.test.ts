import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { CONNECTION_STATUSES } from '../../shared/wire/connection-test.ts';
import { CONNECTION_STATUS_KINDS, CONNECTION_STATUS_LABELS } from './strings.ts';

interface Choice {
	text: string;
	value: string;
}

const reference: unknown = parse(readFileSync(new URL('../../../../../snapshots/schema.yaml', import.meta.url), 'utf8'));
const lastCheckStatus = (reference as { fields: { collection: string; field: string; meta: Record<string, unknown> }[] }).fields.find(
	(field) => field.collection === 'nextpanel_servers' && field.field === 'last_check_status',
)!;

describe('connection status words', () => {
	test('every status a connection test can answer has words and a colour', () => {
		expect(Object.keys(CONNECTION_STATUS_LABELS).sort()).toEqual([...CONNECTION_STATUSES].sort());
		expect(Object.keys(CONNECTION_STATUS_KINDS).sort()).toEqual([...CONNECTION_STATUSES].sort());
	});

	test('the server list badges use the same words as the connection test', () => {
		const choices = (lastCheckStatus.meta['display_options'] as { choices: Choice[] }).choices;
		expect(Object.fromEntries(choices.map((choice) => [choice.value, choice.text]))).toEqual(CONNECTION_STATUS_LABELS);
	});

	test('the server form shows the status as a badge, not as an editable text', () => {
		expect(lastCheckStatus.meta['interface']).toBe('nextpanel-check-status');
		expect(lastCheckStatus.meta['readonly']).toBe(true);
	});
});
