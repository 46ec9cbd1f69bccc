import ipaddr from 'ipaddr.js';

/** Pure checks of environment values that class-validator has no rule for. */

/** `postgres://` or `postgresql://` with a host or a socket folder (`?host=/path`). */
export function isPostgresUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && (url.hostname !== '' || url.searchParams.has('host'));
  } catch {
    return false;
  }
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/**
 * An OUTGOING_DENY entry: an IP address, a CIDR range, or a host name. Anything that looks like an
 * address or a range but is not a valid one (`10.0.0.0/33`, `999.1.1.1`) is refused rather than
 * taken as a host name that nothing would ever match.
 */
export function isDenyEntry(entry: string): boolean {
  if (ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry)) return true;
  if (entry.includes('/') || entry.includes(':') || /^[\d.]+$/.test(entry)) return false;
  return HOST_NAME.test(entry);
}

/** The first bad entry of a comma-separated OUTGOING_DENY list, or undefined when all are good. */
export function badDenyEntry(list: string): string | undefined {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry, i, all) => entry !== '' || all.length === 1)
    .find((entry) => !isDenyEntry(entry));
}

/** A connection string with its password replaced, safe to print. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** TRUST_PROXY: `true`, `false`, or addresses and CIDR ranges of the proxies in front. */
export function isTrustProxy(value: string): boolean {
  const setting = trustProxySetting(value);
  return typeof setting === 'boolean' || setting.every((entry) => ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry));
}

/** What Fastify's `trustProxy` takes for a TRUST_PROXY value. */
export function trustProxySetting(value: string | undefined): boolean | string[] {
  const v = value?.trim().toLowerCase() ?? 'false';
  if (v === 'true' || v === 'false') return v === 'true';
  return v.split(',').map((entry) => entry.trim());
}

/** A secrets key: 64 hex digits, or the base64 of 32 bytes. */
export function parseSecretsKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const bytes = /^[A-Za-z0-9+/]{43}=$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  return bytes?.length === 32 ? bytes : undefined;
}
