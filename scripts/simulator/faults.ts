// Fault injection: rules that make matching requests slow, failing, garbled or silent, to
// exercise every failure path of a client against a "real" server.
export const FAULT_KINDS = ['latency', 'status', 'html', 'malformed_json', 'empty', 'reset_after_commit', 'reset', 'blackhole'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
	id: number;
	kind: FaultKind;
	match: { method?: string; path?: string };
	/** Matching requests to let through before the rule applies. */
	skip: number;
	/** How many matching requests the rule applies to; null = all. */
	times: number | null;
	ms?: number;
	min_ms?: number;
	max_ms?: number;
	status?: number;
	body?: string;
	seen: number;
	applied: number;
}

export type FaultInput = Partial<Omit<FaultRule, 'id' | 'seen' | 'applied'>> & { kind: FaultKind };

function globToRegExp(glob: string): RegExp {
	return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

export class FaultRules {
	#rules: FaultRule[] = [];
	#nextId = 1;

	add(input: FaultInput): FaultRule {
		if (!FAULT_KINDS.includes(input.kind)) throw new Error(`Unknown fault kind "${String(input.kind)}"; use one of ${FAULT_KINDS.join(', ')}`);
		const rule: FaultRule = { match: {}, skip: 0, times: null, ...input, id: this.#nextId++, seen: 0, applied: 0 };
		this.#rules.push(rule);
		return rule;
	}

	remove(id: number): boolean {
		const before = this.#rules.length;
		this.#rules = this.#rules.filter((rule) => rule.id !== id);
		return this.#rules.length < before;
	}

	clear(): void {
		this.#rules = [];
	}

	list(): FaultRule[] {
		return [...this.#rules];
	}

	/** The rules that apply to this request, in the order they were added (latency first). */
	take(method: string, path: string): FaultRule[] {
		const applying: FaultRule[] = [];
		for (const rule of this.#rules) {
			if (rule.match.method && rule.match.method.toUpperCase() !== method) continue;
			if (rule.match.path && !globToRegExp(rule.match.path).test(path)) continue;
			rule.seen++;
			if (rule.seen <= rule.skip) continue;
			if (rule.times !== null && rule.applied >= rule.times) continue;
			rule.applied++;
			applying.push(rule);
		}
		return applying.sort((a, b) => Number(b.kind === 'latency') - Number(a.kind === 'latency'));
	}
}

export function latencyOf(rule: FaultRule): number {
	if (rule.ms !== undefined) return rule.ms;
	const min = rule.min_ms ?? 0;
	const max = rule.max_ms ?? min;
	return min + Math.random() * (max - min);
}

export const NGINX_PAGE = (status: number, text: string) =>
	`<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

export const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Sign in - Hosting Portal</title></head><body><form method="post"><input name="user"><input type="password" name="pass"></form></body></html>';
