// NextPanel server URLs make this Directus server send requests to an address a person typed.
// Only http(s) is allowed, and addresses in the deny list (by default link-local and cloud
// metadata ranges, as Directus's own IMPORT_IP_DENY_LIST does for imports) are refused: when a
// URL is saved or tested, and again at every connection, against the very address the socket
// connects to (see connect-timeout-agent.ts), so a name that resolves differently later
// (DNS rebinding) cannot get through.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export class UrlNotAllowed extends Error {}

export function buildBlockList(entries: string[]): BlockList {
	const list = new BlockList();
	for (const entry of entries) {
		const [address, prefix] = entry.split('/');
		if (!address) continue;
		if (isIP(address) === 0) throw new Error(`NEXTPANEL_URL_DENY_LIST has an entry that is not an IP address or range: "${entry}"`);
		const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
		if (prefix === undefined) list.addAddress(address, type);
		else list.addSubnet(address, Number(prefix), type);
	}
	return list;
}

/** The 16 bytes of an IPv6 address (with or without a trailing dotted IPv4 part). */
function ipv6Bytes(address: string): number[] | null {
	let text = address.toLowerCase().replace(/%.*$/, '');
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
	if (dotted) {
		const parts = dotted.split('.').map(Number);
		text = `${text.slice(0, -dotted.length)}${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
	}
	const [head, tail] = text.split('::');
	const groups = (part: string | undefined) => (part ? part.split(':') : []);
	const left = groups(head);
	const right = groups(tail);
	const missing = 8 - left.length - right.length;
	if (tail === undefined ? left.length !== 8 : missing < 0) return null;
	const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
	const bytes: number[] = [];
	for (const group of all) {
		const value = parseInt(group, 16);
		if (Number.isNaN(value) || value < 0 || value > 0xffff) return null;
		bytes.push(value >> 8, value & 0xff);
	}
	return bytes;
}

const startsWith = (bytes: number[], prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);

/**
 * The IPv4 address an IPv6 address carries in its last 32 bits, for the forms that reach an
 * IPv4 host: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96).
 */
export function embeddedIpv4(address: string): string | null {
	if (isIP(address) !== 6) return null;
	const bytes = ipv6Bytes(address);
	if (!bytes) return null;
	const last = bytes.slice(12);
	const mapped = startsWith(bytes, [...Array<number>(10).fill(0), 0xff, 0xff]);
	// ::a.b.c.d, but not :: (unspecified) or ::1 (loopback), which share the prefix.
	const compatible = startsWith(bytes, Array<number>(12).fill(0)) && !(last.slice(0, 3).every((b) => b === 0) && last[3]! <= 1);
	const nat64 = startsWith(bytes, [0x00, 0x64, 0xff, 0x9b, ...Array<number>(8).fill(0)]);
	if (!mapped && !compatible && !nat64) return null;
	return last.join('.');
}

/** Whether an address (IPv4 or IPv6, in any form that reaches an IPv4 host) is in the deny list. */
export function isAddressDenied(address: string, denied: BlockList): boolean {
	const family = isIP(address);
	if (family === 0) return false;
	if (denied.check(address, family === 6 ? 'ipv6' : 'ipv4')) return true;
	const ipv4 = embeddedIpv4(address);
	return ipv4 !== null && denied.check(ipv4, 'ipv4');
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

export function hostOf(url: URL): string {
	return url.hostname.replace(/^\[|\]$/g, '');
}

/** Checks a URL when it is saved or tested, so the person learns at once; connections check again. */
export async function assertUrlAllowed(value: string, denied: BlockList): Promise<URL> {
	const url = parseHttpUrl(value);
	const host = hostOf(url);
	let addresses: { address: string }[];
	try {
		addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true });
	} catch {
		// Resolution failures are reported by the connection test itself as "does not resolve".
		return url;
	}
	for (const { address } of addresses) {
		if (isAddressDenied(address, denied)) {
			throw new UrlNotAllowed(
				`${url.hostname} ${isIP(host) ? 'is' : `resolves to ${address}, which is`} in NEXTPANEL_URL_DENY_LIST (link-local and cloud metadata addresses are refused)`,
			);
		}
	}
	return url;
}
