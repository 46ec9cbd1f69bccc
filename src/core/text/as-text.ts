/**
 * A value of unknown type shown as text, as `String()` shows it; null and undefined as `fallback`.
 * For values that are text, numbers or booleans in practice (request fields, stored documents):
 * an object stays `[object Object]`, which is what Rocket.Chat shows for it too.
 */
export function asText(value: unknown, fallback = ''): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- see above: String()'s own rendering is the point
  return String(value);
}
