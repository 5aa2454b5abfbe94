// Every request the API port received, for tests to assert on: what was asked, with which key
// (the id, never the secret), what fault was injected and what status went back.
import { z } from 'zod';
import { FAULT_KINDS, matches } from './faults.ts';

export const callRecordSchema = z.object({
	seq: z.number().int().positive(),
	at: z.string(),
	method: z.string(),
	/** The URL path without the query string. */
	path: z.string(),
	/** null: no response was sent (reset, black hole, or the client went away). */
	status: z.number().int().nullable(),
	/** The X-API-Key header as sent (a key id), or null. */
	key: z.string().nullable(),
	fault: z.enum(FAULT_KINDS).nullable(),
	ip: z.string(),
});
export type CallRecord = z.infer<typeof callRecordSchema>;

export interface CallFilter {
	method?: string | undefined;
	/** Exact path, or a pattern with `*` wildcards. */
	path?: string | undefined;
}

/** Oldest records are dropped beyond this, so a long-running demo does not grow without bound. */
export const CALL_LOG_LIMIT = 10_000;

export class CallLog {
	#records: CallRecord[] = [];
	#seq = 0;

	/** Starts a record; the server fills in status and fault as the request proceeds. */
	start(fields: Omit<CallRecord, 'seq' | 'status' | 'fault'>): CallRecord {
		const { at, method, path, key, ip } = fields;
		const record: CallRecord = { seq: ++this.#seq, at, method, path, status: null, key, fault: null, ip };
		this.#records.push(record);
		if (this.#records.length > CALL_LOG_LIMIT) this.#records.splice(0, this.#records.length - CALL_LOG_LIMIT);
		return record;
	}

	list(filter: CallFilter = {}): CallRecord[] {
		const method = filter.method?.toUpperCase();
		return this.#records
			.filter((record) => matches({ method, path: filter.path }, record.method, record.path))
			.map((record) => ({ ...record }));
	}

	/** Forgets the records; sequence numbers keep counting so old and new never mix. */
	clear(): void {
		this.#records = [];
	}
}
