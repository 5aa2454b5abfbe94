// API keys and the authentication dependency of NextPanel's billing routes: credentials first
// (401), then the key's IP allow list (403), then the permission level (403).
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const LEVELS = ['READ_ONLY', 'USER', 'DEVELOPER', 'BILLING', 'ADMIN', 'SUPER_ADMIN'] as const;
export const levelSchema = z.enum(LEVELS);
export type Level = z.infer<typeof levelSchema>;

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO date, e.g. 2030-01-01T00:00:00Z');

export const apiKeySchema = z.object({
	key: z.string().min(1),
	secret: z.string().min(1),
	level: levelSchema.default('SUPER_ADMIN'),
	allowed_ips: z.array(z.string().min(1)).default([]),
	active: z.boolean().default(true),
	expires_at: isoDate.nullable().default(null),
});
/** A key as stored. */
export type ApiKey = z.infer<typeof apiKeySchema>;
/** A key as given (level defaults to SUPER_ADMIN, no IP limit, active, never expiring). */
export type ApiKeyInput = z.input<typeof apiKeySchema>;
/** What may be shown of a key: everything but the secret. */
export type VisibleKey = Omit<ApiKey, 'secret'>;

export type Requirement = 'any_key' | 'super_admin';

export type AuthOutcome = { ok: true; key: ApiKey } | { ok: false; status: 401 | 403; detail: string };

export const INVALID_CREDENTIALS = 'Invalid API credentials';
export const NOT_SUPER_ADMIN = "The user doesn't have super admin privileges";
export const ipNotAllowed = (ip: string) => `IP address ${ip} is not allowed for this API key`;

/** The client address as NextPanel sees it: IPv4 clients of a dual-stack socket without `::ffff:`. */
export function clientIp(remoteAddress: string | undefined): string {
	return (remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

const digest = (value: string) => createHash('sha256').update(value).digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

export class KeyStore {
	#keys = new Map<string, ApiKey>();
	readonly #seeds: ApiKey[];

	constructor(seeds: ApiKeyInput[] = []) {
		this.#seeds = seeds.map((seed) => apiKeySchema.parse(seed));
		this.reset();
	}

	/** Adds a key, or replaces the key with the same id. Returns it without the secret. */
	put(input: ApiKeyInput): VisibleKey {
		const key = apiKeySchema.parse(input);
		this.#keys.set(key.key, key);
		return visible(key);
	}

	remove(keyId: string): boolean {
		return this.#keys.delete(keyId);
	}

	list(): VisibleKey[] {
		return [...this.#keys.values()].map(visible);
	}

	/** Back to the keys the simulator started with. */
	reset(): void {
		this.#keys = new Map(this.#seeds.map((seed) => [seed.key, { ...seed, allowed_ips: [...seed.allowed_ips] }]));
	}

	/** Whether a value is one of the secrets, so a key sent in the wrong header is not logged. */
	isSecret(value: string): boolean {
		return [...this.#keys.values(), ...this.#seeds].some((key) => key.secret === value);
	}

	authenticate(keyId: string | undefined, secret: string | undefined, ip: string, requirement: Requirement, now: number): AuthOutcome {
		const key = keyId ? this.#keys.get(keyId) : undefined;
		const expired = key?.expires_at ? Date.parse(key.expires_at) <= now : false;
		if (!key || secret === undefined || !sameSecret(secret, key.secret) || !key.active || expired)
			return { ok: false, status: 401, detail: INVALID_CREDENTIALS };
		if (key.allowed_ips.length > 0 && !key.allowed_ips.includes(ip)) return { ok: false, status: 403, detail: ipNotAllowed(ip) };
		if (requirement === 'super_admin' && key.level !== 'SUPER_ADMIN') return { ok: false, status: 403, detail: NOT_SUPER_ADMIN };
		return { ok: true, key };
	}
}

function visible(key: ApiKey): VisibleKey {
	const { secret: _secret, ...rest } = key;
	return rest;
}

/** `key:secret:LEVEL` from the command line or NEXTPANEL_SIM_KEYS; the secret may contain colons. */
export function parseKeySpec(spec: string): ApiKey {
	const parts = spec.trim().split(':');
	const key = parts[0] ?? '';
	const level = parts.length >= 3 ? parts[parts.length - 1]! : '';
	const secret = parts.slice(1, -1).join(':');
	const parsed = apiKeySchema.safeParse({ key, secret, level });
	if (parts.length < 3 || !parsed.success) {
		// Name the key id only: the spec holds a secret.
		throw new Error(`Invalid key "${key}:…": use key:secret:LEVEL with LEVEL one of ${LEVELS.join(', ')}`);
	}
	return parsed.data;
}
