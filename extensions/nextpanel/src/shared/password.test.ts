import { describe, expect, test } from 'vitest';
import { CHARACTER_CLASSES, estimateStrength, generatePassword, LOOK_ALIKES, passwordProblems, randomInt } from './password.ts';

describe('generatePassword', () => {
	test.each([12, 20, 37, 64])('has exactly %i characters', (length) => {
		expect(generatePassword({ length })).toHaveLength(length);
	});

	test('defaults to 20 characters with every class', () => {
		const password = generatePassword();
		expect(password).toHaveLength(20);
		for (const characters of Object.values(CHARACTER_CLASSES)) expect([...password].some((c) => characters.includes(c))).toBe(true);
	});

	test.each([11, 65, 0, 12.5])('refuses a length of %s', (length) => {
		expect(() => generatePassword({ length })).toThrow();
	});

	test('always contains every requested class, even at the minimum length', () => {
		for (let i = 0; i < 2000; i++) {
			const password = generatePassword({ length: 12, classes: ['lower', 'digits', 'symbols'] });
			expect(/[a-z]/.test(password) && /[0-9]/.test(password) && /[^a-z0-9]/.test(password)).toBe(true);
			expect(/[A-Z]/.test(password)).toBe(false);
		}
	});

	test('leaves out look-alike characters when asked', () => {
		const text = Array.from({ length: 500 }, () => generatePassword({ length: 64, excludeLookAlikes: true })).join('');
		for (const c of LOOK_ALIKES) expect(text).not.toContain(c);
	});

	test('characters are uniformly distributed (chi-square over 100,000 characters)', () => {
		const alphabet = Object.values(CHARACTER_CLASSES).join('');
		const counts = new Map<string, number>();
		let total = 0;
		while (total < 100_000) {
			for (const c of generatePassword({ length: 64 })) {
				counts.set(c, (counts.get(c) ?? 0) + 1);
				total++;
			}
		}
		// Each password forces one character per class, which slightly favours the small
		// classes; compare against the distribution the algorithm intends, not a naive one.
		const sizes = Object.values(CHARACTER_CLASSES).map((s) => s.length);
		const perPassword = 64;
		const expectedShare = (c: string) => {
			const classSize = sizes[Object.values(CHARACTER_CLASSES).findIndex((s) => s.includes(c))]!;
			return (1 / classSize + (perPassword - 4) / alphabet.length) / perPassword;
		};
		let chiSquare = 0;
		for (const c of alphabet) {
			const expected = total * expectedShare(c);
			chiSquare += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
		}
		// 88 characters -> 87 degrees of freedom; the critical value at p = 0.001 is about 133.6
		// (Wilson-Hilferty). Picking with `byte % 88` (256 is not a multiple of 88) fails it widely.
		expect(alphabet.length).toBe(88);
		expect(chiSquare).toBeLessThan(133.6);
	});
});

describe('uniformity (chi-square goodness of fit, p = 0.001)', () => {
	const chiSquare = (counts: Map<string, number>, alphabet: string, total: number) =>
		[...alphabet].reduce((sum, c) => sum + ((counts.get(c) ?? 0) - total / alphabet.length) ** 2 / (total / alphabet.length), 0);
	const count = (text: string) => {
		const counts = new Map<string, number>();
		for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
		return counts;
	};
	// Critical values of the chi-square distribution at p = 0.001 (tables): 25 and 87 degrees of freedom.
	const CRITICAL_25 = 52.62;
	const CRITICAL_87 = 133.6;

	test('one class: 100,000 characters are uniform over its 26 letters', () => {
		let text = '';
		while (text.length < 100_000) text += generatePassword({ length: 64, classes: ['lower'] });
		expect(chiSquare(count(text), CHARACTER_CLASSES.lower, text.length)).toBeLessThan(CRITICAL_25);
	});

	test('randomInt over the full 88-character alphabet is uniform', () => {
		const alphabet = Object.values(CHARACTER_CLASSES).join('');
		const text = Array.from({ length: 100_000 }, () => alphabet[randomInt(alphabet.length)]!).join('');
		expect(chiSquare(count(text), alphabet, text.length)).toBeLessThan(CRITICAL_87);
	});

	test('the same statistic catches modulo bias, so passing it means something', () => {
		const alphabet = Object.values(CHARACTER_CLASSES).join('');
		// getRandomValues fills at most 65,536 bytes per call.
		const bytes = [0, 1].flatMap(() => [...crypto.getRandomValues(new Uint8Array(50_000))]);
		// byte % 88: 256 = 2 x 88 + 80, so the first 80 characters come up 3/256 of the time, the last 8 only 2/256.
		const biased = Array.from(bytes, (byte) => alphabet[byte % alphabet.length]!).join('');
		expect(chiSquare(count(biased), alphabet, biased.length)).toBeGreaterThan(CRITICAL_87);
	});
});

describe('randomInt', () => {
	test('draws again instead of folding the top of the range (no modulo bias)', () => {
		// 2^32 is not a multiple of 3: values from 4294967295 upward would favour 0.
		const draws = [4294967295, 4294967294, 7];
		const fake = (buffer: Uint32Array) => {
			buffer[0] = draws.shift()!;
			return buffer;
		};
		// floor(2^32 / 3) * 3 = 4294967295: that draw is refused, 4294967294 % 3 = 2 is used.
		expect(randomInt(3, fake)).toBe(2);
		expect(draws).toEqual([7]);
	});

	test.each([0, -1, 1.5, 2 ** 33])('refuses max = %s', (max) => {
		expect(() => randomInt(max)).toThrow(RangeError);
	});
});

describe('estimateStrength', () => {
	test('generated passwords are very strong', () => {
		const strength = estimateStrength(generatePassword());
		expect(strength.bits).toBeGreaterThan(100);
		expect(strength.label).toBe('very_strong');
		expect(strength.classes).toEqual(['lower', 'upper', 'digits', 'symbols']);
	});

	// Hand-computed: effective length (repeats count 1/(n+1), neighbours in a run 0.25) times
	// log2 of the pool of classes used.
	test.each([
		['', 0, 'very_weak'],
		['aaaaaaaaaaaa', 3.75 * Math.log2(26), 'very_weak'],
		['abcdefghijkl', 3.75 * Math.log2(26), 'very_weak'],
		['password1', 8.25 * Math.log2(36), 'weak'],
		['Tr0ub4dor&3', 10.5 * Math.log2(88), 'strong'],
	])('%s scores %d bits (%s)', (password, bits, label) => {
		const strength = estimateStrength(password);
		expect(strength.bits).toBeCloseTo(bits, 0);
		expect(strength.label).toBe(label);
	});
});

describe('passwordProblems', () => {
	test('accepts a strong password', () => {
		expect(passwordProblems('Correct-Horse-Battery-9')).toEqual([]);
	});

	test.each([
		['short1A!', /at least 12 characters \(this one has 8\)/],
		['alllowercaseletters', /mix at least 3 of/],
		['has spaces In 2 it!', /leave out spaces/],
		['Aaaaaaaaaaaa1', /less predictable/],
	])('%s: %s', (password, problem) => {
		expect(passwordProblems(password).join('; ')).toMatch(problem);
	});
});
