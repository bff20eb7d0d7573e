import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses a webhook may never reach unless WEBHOOK_ALLOW_PRIVATE=1: this host, private networks, cloud metadata. */
const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT (and some clouds' metadata, 100.100.100.200)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible addresses (::127.0.0.1)
  ['fc00::', 7], // unique local, AWS metadata at fd00:ec2::254
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of IPv4 addresses
  ['2001:db8::', 32],
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped IPv6 one, dotted (::ffff:127.0.0.1) or in hex as URLs write it (::ffff:7f00:1). */
function mappedIpv4(address: string): string | null {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted?.[1]) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex?.[1] || !hex[2]) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether an address is loopback, private, link-local, metadata or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = mappedIpv4(address);
  if (mapped) return refused.check(mapped, 'ipv4');
  return refused.check(address, 'ipv6');
}

export class WebhookTargetRefused extends Error {}

export interface ResolvedTarget {
  url: URL;
  /** The address the connection is pinned to: the one that was checked, so DNS cannot answer differently later. */
  address: string;
  family: 4 | 6;
}

/** The host part of a URL as DNS takes it (IPv6 literals without their brackets). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Resolves a webhook URL's host and checks every address it resolves to: one private address refuses the whole
 * target (a name answering both is a rebinding attempt). Returns the address to connect to.
 */
export async function resolveTarget(raw: string, allowPrivate: boolean): Promise<ResolvedTarget> {
  const url = new URL(raw);
  const host = hostOf(url);
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new WebhookTargetRefused(`${host} does not resolve`);
  }
  const first = addresses[0];
  if (!first) throw new WebhookTargetRefused(`${host} does not resolve`);
  if (!allowPrivate) {
    const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
    if (blocked) throw new WebhookTargetRefused(`${host} resolves to ${blocked.address}, a private, loopback or link-local address`);
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** Checks a URL when an endpoint is registered: http(s), no credentials, and no private address written literally. */
export function targetProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http:// or https:// URL';
  if (url.username || url.password) return 'must not carry credentials';
  const host = hostOf(url);
  if (!allowPrivate && (isIP(host) ? isPrivateAddress(host) : /^(localhost|.*\.localhost|.*\.internal|.*\.local)$/i.test(host))) {
    return 'must be a public address (loopback, private, link-local and metadata addresses are refused)';
  }
  return null;
}
