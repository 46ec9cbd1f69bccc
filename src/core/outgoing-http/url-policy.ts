import ipaddr from 'ipaddr.js';

/** Ranges never reached: link-local (cloud metadata lives there), unspecified, multicast, broadcast. */
const ALWAYS_DENIED = ['linkLocal', 'unspecified', 'multicast', 'broadcast', 'reserved'];
/** Ranges reached only when OUTGOING_ALLOW_PRIVATE is on (the default): internal networks and this host. */
const PRIVATE = ['private', 'loopback', 'uniqueLocal', 'carrierGradeNat'];
/** Metadata endpoints outside the link-local range. */
const METADATA_ADDRESSES = ['fd00:ec2::254', '100.100.100.200'];
const METADATA_HOSTS = ['metadata.google.internal', 'metadata', 'instance-data'];

export class UrlPolicyError extends Error {
  readonly code = 'error-url-not-allowed';
}

/**
 * Where Hookline may send HTTP requests (outgoing deliveries and script `fetch`). Addresses are
 * checked after DNS resolution, on the address actually connected to.
 */
export class UrlPolicy {
  private readonly deniedRanges: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  private readonly deniedHosts: Set<string>;

  constructor(private readonly options: { allowPrivate: boolean; deny: string[] }) {
    this.deniedRanges = [];
    this.deniedHosts = new Set(METADATA_HOSTS);
    for (const entry of options.deny) {
      if (ipaddr.isValidCIDR(entry)) this.deniedRanges.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry)) this.deniedRanges.push([ipaddr.parse(entry), ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128]);
      else this.deniedHosts.add(entry.toLowerCase());
    }
  }

  /** Throws unless the URL is http(s) and its host name is not denied. */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UrlPolicyError(`Not a valid URL: ${raw}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlPolicyError(`Only http and https URLs are allowed, not ${url.protocol}`);
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.deniedHosts.has(host)) throw new UrlPolicyError(`The host ${host} is not allowed`);
    if (ipaddr.isValid(host)) this.checkAddress(host);
    return url;
  }

  /** Throws unless an address may be connected to. */
  checkAddress(address: string): void {
    let ip = ipaddr.parse(address);
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
    const range = ip.range();
    const denied =
      ALWAYS_DENIED.includes(range) ||
      METADATA_ADDRESSES.includes(ip.toString()) ||
      (!this.options.allowPrivate && PRIVATE.includes(range)) ||
      this.deniedRanges.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
    if (denied) throw new UrlPolicyError(`The address ${address} is not allowed (${range})`);
  }
}
