import { ApiError } from '../../core/http/api-error';
import { toStorable } from '../../core/http/storable-text';

/** A hook body: a JSON object, or a JSON array (some senders post arrays; scripts get them as they are). */
export type HookBody = Record<string, unknown> | unknown[];

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
): HookBody | undefined {
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
  if (typeof parsed !== 'object') throw ApiError.failure('The body must be a JSON object or array');
  return parsed as HookBody;
}

function parseJsonObject(text: string): HookBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw ApiError.failure((error as Error).message);
  }
  if (typeof value !== 'object' || value === null) throw ApiError.failure('The payload must be a JSON object or array');
  return toStorable(value as HookBody);
}
