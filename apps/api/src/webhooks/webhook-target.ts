import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where a webhook may deliver. Admins choose the URL, so without this check a delivery could be
 * aimed inside: at the cloud's metadata service, at the database, at anything on loopback or on the
 * private network. Unless WEBHOOK_ALLOW_PRIVATE=true, every address a host resolves to must be
 * outside these ranges, and the connection goes to the address that was checked (no second lookup
 * that DNS rebinding could answer differently).
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata at 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4'); // also matches IPv4-mapped IPv6 (::ffff:a.b.c.d)
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address, if it is one. */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]);
  return null;
}

function expandIpv6(address: string): number[] | null {
  if (isIP(address) !== 6 || address.includes('.')) return null;
  const [head, tail = ''] = address.split('::');
  const part = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = address.includes('::') ? part(tail) : [];
  return [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
}

/** Whether a delivery may connect to this IP address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NOT_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  if (NOT_PUBLIC.check(address, 'ipv6')) return false;
  const inner = embeddedIpv4(address);
  return inner === null || !NOT_PUBLIC.check(inner, 'ipv4');
}

/** A URL's host as an IP address, when it is written as one (`[::1]` → `::1`); null for a name. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) ? host : null;
}

/** Hosts that can only be this machine, refused when the webhook is created (the rest is checked at delivery). */
export function isLocalName(url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost');
}

export class AddressNotAllowed extends Error {}

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolve the URL's host now, at delivery, and choose the address to connect to: every address it
 * resolves to must be public unless `allowPrivate` (one that mixes in an inside address is refused
 * whole, so that the outcome does not depend on which address a client would try first).
 */
export async function resolveTarget(url: URL, allowPrivate: boolean): Promise<CheckedAddress> {
  const literal = literalAddress(url);
  const addresses = literal
    ? [{ address: literal, family: isIP(literal) as 4 | 6 }]
    : (await lookup(url.hostname, { all: true, order: 'verbatim' })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  if (addresses.length === 0) throw new Error(`${url.hostname} has no address`);
  if (!allowPrivate && (isLocalName(url) || addresses.some((a) => !isPublicAddress(a.address)))) {
    throw new AddressNotAllowed(`${url.hostname} resolves to an address inside the network`);
  }
  return addresses[0];
}

/** Connections are kept for the next delivery to the same host; each was made to a checked address. */
const AGENTS = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/** A `lookup` that answers the address already resolved and checked, whatever the host: no second DNS query. */
function pinnedLookup(target: CheckedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as LookupFunction;
}

/**
 * POST `body` to `url`, connecting to `target` (TLS still checks the certificate against the URL's
 * host). Resolves to the answer's status; the answer's body is discarded unread. A redirect is an
 * answer like any other: never followed.
 */
export function postTo(url: URL, target: CheckedAddress, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        agent: AGENTS[url.protocol as keyof typeof AGENTS],
        lookup: pinnedLookup(target),
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal,
      },
      (res) => {
        res.on('error', () => undefined);
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
