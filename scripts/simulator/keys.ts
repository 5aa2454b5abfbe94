// API keys of the simulated server, with the permission levels, IP allow lists, activity and
// expiry the contract describes.
export const LEVELS = ['READ_ONLY', 'USER', 'DEVELOPER', 'BILLING', 'ADMIN', 'SUPER_ADMIN'] as const;
export type Level = (typeof LEVELS)[number];

export interface ApiKey {
	key: string;
	secret: string;
	level: Level;
	allowed_ips: string[];
	active: boolean;
	expires_at: string | null;
}

export type AuthOutcome =
	| { ok: true; key: ApiKey }
	| { ok: false; status: 401 | 403; detail: string; key: ApiKey | null };

export function normalizeIp(address: string | undefined): string {
	return (address ?? '').replace(/^::ffff:/, '');
}

export class KeyStore {
	#keys = new Map<string, ApiKey>();

	constructor(seeds: ApiKey[] = []) {
		for (const seed of seeds) this.put(seed);
	}

	put(key: ApiKey): void {
		this.#keys.set(key.key, key);
	}

	remove(key: string): boolean {
		return this.#keys.delete(key);
	}

	list(): Omit<ApiKey, 'secret'>[] {
		return [...this.#keys.values()].map(({ secret: _secret, ...rest }) => rest);
	}

	/** Authentication as NextPanel's dependency does it: credentials, then IP, then level. */
	authenticate(keyId: string | undefined, secret: string | undefined, ip: string, needsSuperAdmin: boolean): AuthOutcome {
		const key = keyId ? this.#keys.get(keyId) : undefined;
		const expired = key?.expires_at ? Date.parse(key.expires_at) <= Date.now() : false;
		if (!key || !secret || key.secret !== secret || !key.active || expired) return { ok: false, status: 401, detail: 'Invalid API credentials', key: key ?? null };
		if (key.allowed_ips.length && !key.allowed_ips.includes(ip)) return { ok: false, status: 403, detail: `IP address ${ip} is not allowed for this API key`, key };
		if (needsSuperAdmin && key.level !== 'SUPER_ADMIN') return { ok: false, status: 403, detail: "The user doesn't have super admin privileges", key };
		return { ok: true, key };
	}
}

export function parseKeySpec(spec: string): ApiKey {
	const [key, secret, level = 'SUPER_ADMIN'] = spec.split(':');
	if (!key || !secret || !(LEVELS as readonly string[]).includes(level)) {
		throw new Error(`Invalid key "${spec.split(':')[0]}:…": use key:secret:LEVEL with LEVEL one of ${LEVELS.join(', ')}`);
	}
	return { key, secret, level: level as Level, allowed_ips: [], active: true, expires_at: null };
}
