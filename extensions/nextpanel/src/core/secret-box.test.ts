import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { SecretBox, SecretBoxError } from './secret-box.ts';

const key = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
	test('seals and opens; the sealed form reveals nothing of the plaintext', () => {
		const box = new SecretBox(key());
		const sealed = box.seal('nps_super_secret', 'purpose');
		expect(sealed).not.toContain('nps_super_secret');
		expect(SecretBox.isSealed(sealed)).toBe(true);
		expect(box.open(sealed, 'purpose')).toBe('nps_super_secret');
		expect(box.seal('nps_super_secret', 'purpose')).not.toBe(sealed);
	});

	test('a value sealed for one purpose does not open for another', () => {
		const box = new SecretBox(key());
		expect(() => box.open(box.seal('x', 'nextpanel_servers.api_secret'), 'hosting_accounts.password')).toThrow(SecretBoxError);
	});

	test('a tampered value is refused', () => {
		const box = new SecretBox(key());
		const parts = box.seal('value', 'p').split('.');
		parts[4] = Buffer.from('changed').toString('base64url');
		expect(() => box.open(parts.join('.'), 'p')).toThrow(/could not be decrypted/);
	});

	test('after a key rotation the previous key still opens old values', () => {
		const [oldKey, newKey] = [key(), key()];
		const sealed = new SecretBox(oldKey).seal('kept', 'p');
		expect(new SecretBox(newKey, [oldKey]).open(sealed, 'p')).toBe('kept');
		expect(() => new SecretBox(newKey).open(sealed, 'p')).toThrow(/NEXTPANEL_ENCRYPTION_KEY_PREVIOUS/);
	});

	test.each(['', 'short', randomBytes(16).toString('base64')])('refuses a key that is not 32 bytes (%s)', (bad) => {
		expect(() => new SecretBox(bad)).toThrow(/32 random bytes/);
	});

	test('accepts a hex key', () => {
		const box = new SecretBox(randomBytes(32).toString('hex'));
		expect(box.open(box.seal('h', 'p'), 'p')).toBe('h');
	});
});
