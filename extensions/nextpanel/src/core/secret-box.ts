// AES-256-GCM for values that must be readable again by the bundle but by nobody else: API
// secrets of NextPanel servers and hosting passwords waiting for provisioning or the welcome
// mail. The key id in each value lets an old key keep decrypting after a rotation.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SecretBoxError extends Error {}

interface Key {
	id: string;
	bytes: Buffer;
}

function parseKey(encoded: string): Key {
	const trimmed = encoded.trim();
	const bytes = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
	if (bytes.length !== 32) {
		throw new SecretBoxError('NEXTPANEL_ENCRYPTION_KEY must be 32 random bytes, base64 or hex encoded (e.g. `openssl rand -base64 32`)');
	}
	return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

export class SecretBox {
	readonly #current: Key;
	readonly #all: Map<string, Key>;

	constructor(currentKey: string, previousKeys: string[] = []) {
		this.#current = parseKey(currentKey);
		this.#all = new Map([this.#current, ...previousKeys.map(parseKey)].map((key) => [key.id, key]));
	}

	static isSealed(value: unknown): boolean {
		return typeof value === 'string' && value.startsWith(`${VERSION}.`) && value.split('.').length === 5;
	}

	/** `purpose` binds the value to where it is stored, so a value copied elsewhere will not open. */
	seal(plaintext: string, purpose: string): string {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', this.#current.bytes, iv);
		cipher.setAAD(Buffer.from(purpose));
		const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
		return [
			VERSION,
			this.#current.id,
			iv.toString('base64url'),
			cipher.getAuthTag().toString('base64url'),
			ciphertext.toString('base64url'),
		].join('.');
	}

	open(sealed: string, purpose: string): string {
		const [version, keyId, iv, tag, ciphertext] = sealed.split('.');
		if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined)
			throw new SecretBoxError('The stored secret is not in a format this version can read');
		const key = this.#all.get(keyId);
		if (!key)
			throw new SecretBoxError(
				`The stored secret was encrypted with a key (id ${keyId}) that is not configured; set it in NEXTPANEL_ENCRYPTION_KEY_PREVIOUS or re-enter the secret`,
			);
		try {
			const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
			decipher.setAAD(Buffer.from(purpose));
			decipher.setAuthTag(Buffer.from(tag, 'base64url'));
			return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
		} catch {
			throw new SecretBoxError('The stored secret could not be decrypted (wrong key or tampered value); re-enter it');
		}
	}
}

/** Where each sealed value lives; bound into it, so a value copied into another column does not open. */
export const SECRET_PURPOSES = {
	apiSecret: 'nextpanel_servers.api_secret',
	hostingPassword: 'hosting_accounts.password',
} as const;
