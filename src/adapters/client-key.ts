import { BlockList, isIP } from 'node:net';

/**
 * Which peers may set X-Forwarded-For. Addresses ("10.0.0.7"), CIDR ranges ("10.0.0.0/8",
 * "fd00::/8") and "loopback" are accepted. Checked once per request against the socket peer.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === 'loopback') {
        this.list.addSubnet('127.0.0.0', 8, 'ipv4');
        this.list.addAddress('::1', 'ipv6');
        continue;
      }
      const [addr, bits] = entry.split('/');
      const family = isIP(addr);
      if (family === 0) throw new Error(`rateLimits.trustedProxies: "${raw}" is not an IP address or CIDR range`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) this.list.addAddress(addr, type);
      else {
        const prefix = Number(bits);
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
          throw new Error(`rateLimits.trustedProxies: "${raw}" has an invalid prefix length`);
        }
        this.list.addSubnet(addr, prefix, type);
      }
    }
    this.empty = entries.length === 0;
  }

  /** True when `address` is one of the trusted proxies. */
  has(address: string): boolean {
    if (this.empty) return false;
    const a = normalizeAddress(address);
    const family = isIP(a);
    if (family === 0) return false;
    return this.list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) is 10.0.0.1. */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/**
 * The client's address. X-Forwarded-For is read only when the socket peer is a trusted proxy,
 * and then from the right: each hop a trusted proxy appended is skipped, and the first address
 * not in the trusted list is the client. A client that sends its own X-Forwarded-For therefore
 * only adds entries to the left of the one our proxy appended, which are never read, so a
 * spoofed header cannot buy new quota.
 */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  const peer = normalizeAddress(remoteAddress ?? '');
  if (forwardedFor === undefined || !trusted.has(peer)) return peer || 'unknown';
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const hops = header.split(',');
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    if (isIP(hop) === 0) break; // junk left of a trusted hop: keep the last good address
    client = hop;
    if (!trusted.has(hop)) break;
  }
  return client;
}
