import { asText } from '../../core/text/as-text';

/**
 * Headers as the history keeps them: names in lower case, repeated ones joined, and the values of
 * credentials masked (`Authorization: Bearer ***`), so a history reader sees what was sent without
 * being handed a key. The `webhook-*` signature headers are kept whole: a signature proves nothing
 * without the secret, and receivers debugging verification need it.
 */
const SENSITIVE = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|password|passwd|api[-_]?key|auth|session|credential/;
const KEPT_AS_IS = new Set(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
const MAX_HEADERS = 100;
const MAX_VALUE_CHARS = 2_000;

export function recordedHeaders(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(headers).slice(0, MAX_HEADERS)) {
    if (rawValue === undefined || rawValue === null) continue;
    const name = rawName.toLowerCase();
    const value = Array.isArray(rawValue) ? rawValue.join(', ') : asText(rawValue);
    kept[name] = !KEPT_AS_IS.has(name) && SENSITIVE.test(name) ? masked(value) : value.slice(0, MAX_VALUE_CHARS);
  }
  return kept;
}

/** `Bearer abc` → `Bearer ***`; anything else → `***`. */
function masked(value: string): string {
  const scheme = /^(Basic|Bearer|Token|Digest)\s/i.exec(value);
  return scheme ? `${scheme[1]} ***` : '***';
}
