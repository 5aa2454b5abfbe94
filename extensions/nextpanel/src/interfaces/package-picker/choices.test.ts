import { describe, expect, test } from 'vitest';
import type { ServerCapacity } from '../../shared/api-types.ts';
import type { ServerPackage } from '../../shared/packages.ts';
import { serverStrings } from '../shared/servers.ts';
import { packagePickerState } from './choices.ts';
import { strings } from './strings.ts';

const basic: ServerPackage = { id: 1, name: 'Basic', disk_mb: 1024 };
const business: ServerPackage = { id: 2, name: 'Business', disk_mb: 10240, bandwidth_mb: 102400 };
const gold: ServerPackage = { id: 3, name: 'Gold' };

const server = (id: string, packages: ServerPackage[], overrides: Partial<ServerCapacity> = {}): ServerCapacity => ({
	id,
	name: id.toUpperCase(),
	status: 'active',
	capacity: 10,
	active_accounts: 0,
	free_slots: 10,
	full: false,
	packages,
	...overrides,
});

const texts = (state: { items: { text: string }[] }) => state.items.map((item) => item.text);

describe('package picker, automatic server', () => {
	const servers = [server('eu-1', [basic, business, gold]), server('eu-2', [business, basic]), server('any', [])];

	test('offers the packages every server that could take the account shares, by name', () => {
		const state = packagePickerState(servers, null, null);
		expect(state.mode).toBe('shared');
		expect(texts(state)).toEqual([serverStrings.packageDefault, '1 · Basic (1 GB disk)', '2 · Business (10 GB disk, 100 GB traffic)']);
		expect(state.hint).toBe(strings.sharedHint);
		expect(state.warning).toBeNull();
		expect(packagePickerState(servers, null, 2).warning).toBeNull();
	});

	test('full and disabled servers do not narrow the list', () => {
		const state = packagePickerState(
			[server('eu-1', [basic, gold]), server('full', [basic], { free_slots: 0, full: true }), server('off', [], { status: 'disabled' })],
			null,
			null,
		);
		expect(state.items.map((item) => item.value)).toEqual([null, 1, 3]);
	});

	test('a package only some servers offer: kept in view, and a warning names where it goes', () => {
		const state = packagePickerState(servers, null, 3);
		expect(state.items.at(-1)).toEqual({ text: strings.notShared(3), value: 3, disabled: true });
		expect(state.warning).toBe(
			'Package 3 is not offered by every server that can take the account: it is provisioned on EU-1 and ANY, whichever has the most free slots.',
		);
		expect(packagePickerState([server('eu-1', [gold]), server('eu-2', [basic])], null, 3).warning).toBe(
			'Package 3 is not offered by every server that can take the account: it is provisioned on EU-1.',
		);
	});

	test('a package no server that can take the account offers: the save will be refused', () => {
		const state = packagePickerState([server('eu-1', [basic]), server('full', [gold], { free_slots: 0, full: true })], null, 3);
		expect(state.warning).toBe(strings.offeredByNone(3));
		expect(state.warning).toMatch(/No server that can take the account now offers package 3: saving will be refused/);
	});

	test('servers with lists but nothing in common: only the default, and a note saying why', () => {
		const state = packagePickerState([server('eu-1', [basic]), server('eu-2', [gold])], null, null);
		expect(state.mode).toBe('shared');
		expect(texts(state)).toEqual([serverStrings.packageDefault]);
		expect(state.hint).toBe(strings.nothingShared);
	});

	test('the same id named differently on another server shows both names', () => {
		const state = packagePickerState([server('eu-1', [business]), server('eu-2', [{ id: 2, name: 'Pro' }])], null, null);
		expect(texts(state)[1]).toBe('2 · Business (10 GB disk, 100 GB traffic) \u2013 also \u201cPro\u201d');
	});

	test('no server that could take the account lists packages: the number input with its note', () => {
		const state = packagePickerState([server('any', []), server('full', [gold], { free_slots: 0, full: true })], null, 7);
		expect(state).toEqual({ mode: 'number', items: [], hint: serverStrings.packageAutomaticHint, warning: null });
		// Before the servers have loaded (or when none can be read) nothing is claimed about the value.
		expect(packagePickerState([], null, 7)).toEqual({ mode: 'number', items: [], hint: serverStrings.packageAutomaticHint, warning: null });
	});
});

describe('package picker, chosen server', () => {
	test('its own list, and a warning for a value it does not offer', () => {
		const servers = [server('eu-1', [basic, gold]), server('eu-2', [business])];
		const state = packagePickerState(servers, 'eu-2', 3);
		expect(state.mode).toBe('list');
		expect(state.items.map((item) => item.value)).toEqual([null, 2, 3]);
		expect(state.hint).toBe(serverStrings.packageListHint('EU-2'));
		expect(state.warning).toBe('Package 3 is not offered by NextPanel server "EU-2" (it offers 2 Business): saving will be refused.');
		expect(packagePickerState(servers, 'eu-2', 2).warning).toBeNull();
	});

	test('a server without a list, or one not (yet) loaded: the number input', () => {
		expect(packagePickerState([server('any', [])], 'any', 5)).toEqual({
			mode: 'number',
			items: [],
			hint: serverStrings.packageNumberHint,
			warning: null,
		});
		expect(packagePickerState([], 'eu-9', 5).mode).toBe('number');
	});
});
