import { describe, expect, test } from 'vitest';
import { DEFAULT_URL_DENY_LIST } from '../config.ts';
import { assertUrlAllowed, buildBlockList, embeddedIpv4, isAddressDenied, parseHttpUrl, UrlNotAllowed } from './url-guard.ts';

const denied = buildBlockList(DEFAULT_URL_DENY_LIST);

describe('assertUrlAllowed', () => {
	test.each(['http://127.0.0.1:4010', 'https://panel.example.com', 'http://[::1]:8080/'])('allows %s', async (url) => {
		await expect(assertUrlAllowed(url, denied)).resolves.toBeInstanceOf(URL);
	});

	test.each([
		['http://169.254.169.254/latest/meta-data', /NEXTPANEL_URL_DENY_LIST/],
		['http://[fe80::1]/', /NEXTPANEL_URL_DENY_LIST/],
		['http://100.100.100.200/', /NEXTPANEL_URL_DENY_LIST/],
		['file:///etc/passwd', /Only http:\/\/ and https:\/\//],
		['gopher://x', /Only http/],
		['not a url', /not a valid URL/],
		['http://user:pass@panel.example.com', /not in the URL/],
	])('refuses %s', async (url, reason) => {
		await expect(assertUrlAllowed(url, denied)).rejects.toThrow(reason);
		await expect(assertUrlAllowed(url, denied)).rejects.toBeInstanceOf(UrlNotAllowed);
	});

	test('a configurable deny list applies to resolved host names', async () => {
		await expect(assertUrlAllowed('http://localhost:4010', buildBlockList(['127.0.0.0/8', '::1/128']))).rejects.toThrow(/resolves to/);
	});

	test('a deny list entry that is not an address is a configuration error', () => {
		expect(() => buildBlockList(['example.com'])).toThrow(/not an IP address/);
	});

	test('parseHttpUrl keeps the path', () => {
		expect(parseHttpUrl(' https://panel.example.com/np ').pathname).toBe('/np');
	});
});

describe('addresses that reach a denied IPv4 host through IPv6', () => {
	test.each([
		['::ffff:169.254.169.254', '169.254.169.254'],
		['::ffff:a9fe:a9fe', '169.254.169.254'],
		['::169.254.169.254', '169.254.169.254'],
		['64:ff9b::169.254.169.254', '169.254.169.254'],
		['64:ff9b::a9fe:a9fe', '169.254.169.254'],
		['::1', null],
		['::', null],
		['2001:db8::1', null],
	])('%s carries %s', (address, ipv4) => {
		expect(embeddedIpv4(address)).toBe(ipv4);
	});

	test.each([
		'http://[::169.254.169.254]/',
		'http://[::ffff:169.254.169.254]/',
		'http://[64:ff9b::a9fe:a9fe]/',
		'http://[::ffff:100.100.100.200]/',
	])('%s is refused', async (url) => {
		await expect(assertUrlAllowed(url, denied)).rejects.toThrow(/NEXTPANEL_URL_DENY_LIST/);
	});

	test('ordinary IPv6 and loopback stay allowed', () => {
		expect(isAddressDenied('2001:db8::1', denied)).toBe(false);
		expect(isAddressDenied('::1', denied)).toBe(false);
		expect(isAddressDenied('169.254.1.1', denied)).toBe(true);
	});
});
