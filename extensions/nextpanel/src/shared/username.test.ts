import { describe, expect, test } from 'vitest';
import { deriveUsername, usernameCandidate, usernameProblem } from './username.ts';

describe('deriveUsername', () => {
	test.each([
		[{ full_name: 'John Doe' }, 'johndoe'],
		[{ full_name: "Zoë O'Brien-Łukasz" }, 'zoeobrienukasz'],
		[{ full_name: 'Jo', email: 'jo.smith@example.com' }, 'josmith'],
		[{ full_name: '42 Wallaby Way' }, 'wallabyway'],
		[{ full_name: '李', email: '9@x.io' }, 'user'],
		[{ full_name: 'Admin' }, 'admin1'],
		[{ full_name: 'A'.repeat(50) }, 'a'.repeat(28)],
		[{ full_name: 'Root' }, 'root1'],
		[{ full_name: 'Ångström Ærø' }, 'angstromr'],
		[{ full_name: 'R2 D2' }, 'r2d2'],
		// Only digits: nothing is left of the name after the leading digits go, and the e-mail is not consulted.
		[{ full_name: '007', email: '1bond@example.com' }, 'bond'],
		[{ full_name: null, email: null }, 'user'],
	])('%j -> %s', (customer, expected) => {
		const username = deriveUsername(customer);
		expect(username).toBe(expected);
		expect(usernameProblem(username)).toBeNull();
	});
});

describe('usernameCandidate', () => {
	test('appends a number and stays within 32 characters', () => {
		expect(usernameCandidate('johndoe', 1)).toBe('johndoe');
		expect(usernameCandidate('johndoe', 2)).toBe('johndoe2');
		expect(usernameCandidate('a'.repeat(32), 12)).toBe(`${'a'.repeat(30)}12`);
	});

	test('every candidate of a derived name is itself a valid username', () => {
		const base = deriveUsername({ full_name: 'Zoë Quinn-Ødegaard' });
		for (const attempt of [1, 2, 9, 10, 99, 1000]) expect(usernameProblem(usernameCandidate(base, attempt))).toBeNull();
	});
});

describe('usernameProblem', () => {
	test.each([
		['ab', /3-32 characters/],
		['a'.repeat(33), /3-32 characters/],
		['1abc', /start with a lowercase letter/],
		['John', /start with a lowercase letter/],
		['jo-hn', /only lowercase letters, digits and _/],
		['root', /reserved/],
	])('%s is refused', (username, problem) => {
		expect(usernameProblem(username)).toMatch(problem);
	});

	test('accepts letters, digits and underscores', () => {
		expect(usernameProblem('john_doe42')).toBeNull();
	});
});
