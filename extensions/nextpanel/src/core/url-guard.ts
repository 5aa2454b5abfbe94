// Testing unsaved credentials makes this Directus server send requests to an address a user
// typed. Only http(s) is allowed, and addresses in the deny list (by default link-local and
// cloud metadata ranges, as Directus's own IMPORT_IP_DENY_LIST does for imports) are refused.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export class UrlNotAllowed extends Error {}

export function buildBlockList(entries: string[]): BlockList {
	const list = new BlockList();
	for (const entry of entries) {
		const [address, prefix] = entry.split('/');
		if (!address) continue;
		const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
		if (isIP(address) === 0) throw new Error(`NEXTPANEL_URL_DENY_LIST has an entry that is not an IP address or range: "${entry}"`);
		if (prefix === undefined) list.addAddress(address, type);
		else list.addSubnet(address, Number(prefix), type);
	}
	return list;
}

export function parseHttpUrl(value: string): URL {
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		throw new UrlNotAllowed(`"${value}" is not a valid URL; use the panel address, e.g. https://panel.example.com`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new UrlNotAllowed(`Only http:// and https:// addresses can be used, not ${url.protocol}//`);
	if (url.username || url.password) throw new UrlNotAllowed('Put the API credentials in the key and secret fields, not in the URL');
	return url;
}

export async function assertUrlAllowed(value: string, denied: BlockList): Promise<URL> {
	const url = parseHttpUrl(value);
	const host = url.hostname.replace(/^\[|\]$/g, '');
	let addresses: { address: string; family: number }[];
	try {
		addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
	} catch {
		// Resolution failures are reported by the connection test itself as "does not resolve".
		return url;
	}
	for (const { address, family } of addresses) {
		if (denied.check(address, family === 6 ? 'ipv6' : 'ipv4')) {
			throw new UrlNotAllowed(
				`${url.hostname} resolves to ${address}, which is in NEXTPANEL_URL_DENY_LIST (link-local and cloud metadata addresses are refused)`,
			);
		}
	}
	return url;
}
