// Timestamps in and out of the insight queries. SQLite keeps Directus timestamps as epoch
// milliseconds and PostgreSQL as timestamps, so edges are bound the way each stores them and
// values read back are turned into ISO text for the answer.
import type { Knex } from 'knex';
import { storedTimestamp } from '../lib/call-log.ts';

export { storedTimestamp };

/** A timestamp column as the driver returns it (a Date, epoch ms as number or text, ISO text), as ISO text. */
export function isoOf(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	const date =
		value instanceof Date
			? value
			: typeof value === 'number' || /^\d+$/.test(String(value))
				? new Date(Number(value))
				: new Date(String(value));
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export const edge = (knex: Knex, date: Date) => storedTimestamp(knex, date);
