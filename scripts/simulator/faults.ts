// Fault injection: rules that make matching requests slow, failing, garbled or silent, to
// exercise every failure path of a client against an otherwise faithful server.
import { z } from 'zod';

export const FAULT_KINDS = [
	'latency',
	'status',
	'rate_limit',
	'html',
	'malformed_json',
	'oversized',
	'empty',
	'reset_after_commit',
	'reset',
	'blackhole',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const count = z.number().int().nonnegative();
const httpStatus = z.number().int().min(100).max(599);
const milliseconds = z.number().nonnegative().max(600_000);

const common = {
	/** Which requests the rule looks at; no match = every API request. */
	match: z
		.object({
			method: z
				.string()
				.min(1)
				.transform((method) => method.toUpperCase())
				.optional(),
			/** Exact path, or a pattern where `*` stands for anything (query strings are ignored). */
			path: z.string().min(1).optional(),
		})
		.default({}),
	/** Matching requests to let through before the rule applies. */
	skip: count.default(0),
	/** How many matching requests the rule applies to before it expires; null = no limit. */
	times: count.nullable().default(null),
};

export const faultInputSchema = z.discriminatedUnion('kind', [
	z
		.object({
			kind: z.literal('latency'),
			...common,
			ms: milliseconds.optional(),
			min_ms: milliseconds.optional(),
			max_ms: milliseconds.optional(),
		})
		.refine(
			(rule) => rule.ms !== undefined || (rule.min_ms !== undefined && rule.max_ms !== undefined && rule.min_ms <= rule.max_ms),
			'latency needs ms, or min_ms <= max_ms',
		),
	z.object({
		kind: z.literal('status'),
		...common,
		status: httpStatus.default(500),
		/** Replaces the default body: a string is sent as text (HTML if it starts with "<"), anything else as JSON. */
		body: z.unknown().optional(),
		content_type: z.string().optional(),
	}),
	z.object({
		// Not in the contract: what a rate limiter in front of NextPanel (or in it) answers.
		kind: z.literal('rate_limit'),
		...common,
		/** Seconds the client is asked to wait, sent as Retry-After; null sends no header. */
		retry_after: z.number().int().nonnegative().max(86_400).nullable().default(1),
		/** Retry-After as delta seconds (`30`) or as an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`). */
		retry_after_format: z.enum(['seconds', 'date']).default('seconds'),
		/** Refuse only requests beyond this many a second (a sliding second); unset: every matching request. */
		per_second: z.number().int().min(1).optional(),
		status: httpStatus.default(429),
		body: z.unknown().optional(),
	}),
	z.object({ kind: z.literal('html'), ...common, status: httpStatus.default(200) }),
	z.object({ kind: z.literal('malformed_json'), ...common, status: httpStatus.default(200) }),
	z.object({
		kind: z.literal('oversized'),
		...common,
		/** Size of the (valid JSON) body; up to 256 MB, to find out what a client does with a huge answer. */
		bytes: z.number().int().min(1).max(268_435_456),
		status: httpStatus.default(200),
	}),
	z.object({ kind: z.literal('empty'), ...common, status: httpStatus.default(502) }),
	z.object({ kind: z.literal('reset_after_commit'), ...common }),
	z.object({ kind: z.literal('reset'), ...common }),
	z.object({ kind: z.literal('blackhole'), ...common }),
]);

/** A fault rule as given to the control API or `FaultRules.add` (defaults filled in there). */
export type FaultInput = z.input<typeof faultInputSchema>;
export type FaultSpec = z.output<typeof faultInputSchema>;
/** A rule in force, with its id and how often it has seen and applied to a request. */
export type FaultRule = FaultSpec & { id: number; seen: number; applied: number };

/** What the faults say about one request. */
export interface FaultPlan {
	/** Summed delay of every latency rule that applies. */
	delayMs: number;
	/** The first other rule that applies, if any; the later ones wait for another request. */
	action: FaultRule | null;
	/** For the call log: the action's kind, else "latency" if delayed, else null. */
	label: FaultKind | null;
}

function pathPattern(path: string): RegExp {
	const escaped = path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
	return new RegExp(`^${escaped.join('.*')}$`);
}

export function matches(match: { method?: string | undefined; path?: string | undefined }, method: string, path: string): boolean {
	if (match.method && match.method !== method) return false;
	return !match.path || pathPattern(match.path).test(path);
}

function delayOf(rule: FaultRule): number {
	if (rule.kind !== 'latency') return 0;
	if (rule.ms !== undefined) return rule.ms;
	const min = rule.min_ms ?? 0;
	const max = rule.max_ms ?? min;
	return min + Math.random() * (max - min);
}

export class FaultRules {
	#rules: FaultRule[] = [];
	#nextId = 1;
	readonly #now: () => number;
	/** Per rate_limit rule with per_second: when the requests it let through in the last second came. */
	#admitted = new Map<number, number[]>();

	constructor(now: () => number = Date.now) {
		this.#now = now;
	}

	/** Validates and adds a rule; throws a readable error for an invalid one. */
	add(input: FaultInput): FaultRule {
		const parsed = faultInputSchema.safeParse(input);
		if (!parsed.success) throw new Error(`Invalid fault rule: ${z.prettifyError(parsed.error)}`);
		const rule: FaultRule = { ...parsed.data, id: this.#nextId++, seen: 0, applied: 0 };
		this.#rules.push(rule);
		return rule;
	}

	remove(id: number): boolean {
		const before = this.#rules.length;
		this.#rules = this.#rules.filter((rule) => rule.id !== id);
		this.#admitted.delete(id);
		return this.#rules.length < before;
	}

	clear(): void {
		this.#rules = [];
		this.#admitted.clear();
	}

	list(): FaultRule[] {
		return this.#rules.map((rule) => ({ ...rule }));
	}

	/** Decides the faults for one request and counts it against each matching rule. */
	plan(method: string, path: string): FaultPlan {
		let delayMs = 0;
		let delayed = false;
		let action: FaultRule | null = null;
		for (const rule of this.#rules) {
			if (!matches(rule.match, method, path)) continue;
			rule.seen++;
			if (rule.seen <= rule.skip) continue;
			if (rule.times !== null && rule.applied >= rule.times) continue;
			if (rule.kind === 'rate_limit' && rule.per_second !== undefined && this.#withinRate(rule.id, rule.per_second)) continue;
			if (rule.kind === 'latency') {
				rule.applied++;
				delayed = true;
				delayMs += delayOf(rule);
			} else if (!action) {
				rule.applied++;
				action = rule;
			}
		}
		return { delayMs, action, label: action?.kind ?? (delayed ? 'latency' : null) };
	}

	/** True (and the request counted) while fewer than `perSecond` requests passed in the last second. */
	#withinRate(id: number, perSecond: number): boolean {
		const now = this.#now();
		const recent = (this.#admitted.get(id) ?? []).filter((at) => at > now - 1000);
		const within = recent.length < perSecond;
		if (within) recent.push(now);
		this.#admitted.set(id, recent);
		return within;
	}
}
