import { ApiError } from '../../core/http/api-error';

/**
 * The message a hook request carries (integrations spec §4.3). JSON bodies as they are; a
 * form-encoded body with exactly one field is Slack's `payload=<json>`, or JSON sent with a form
 * content type (the JSON text then parses as the one key, so the raw body is parsed instead);
 * other forms are their fields; GET requests use the query string.
 */
export function hookBody(
  method: string,
  contentType: string | undefined,
  parsed: unknown,
  rawBody: Buffer | undefined,
  query: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (method === 'GET') return { ...query };
  const isForm = (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
  if (isForm && parsed && typeof parsed === 'object') {
    const keys = Object.keys(parsed);
    if (keys.length === 1) {
      const text = keys[0] === 'payload' ? String((parsed as Record<string, unknown>).payload) : (rawBody?.toString('utf8') ?? '');
      return parseJsonObject(text);
    }
    return { ...(parsed as Record<string, unknown>) };
  }
  if (parsed === undefined || parsed === null) return undefined;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw ApiError.failure('The body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw ApiError.failure((error as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ApiError.failure('The payload must be a JSON object');
  return value as Record<string, unknown>;
}
