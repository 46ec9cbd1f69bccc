import { jsonOrUndefined } from '../core/http/json-or-undefined';

/**
 * Bodies as a person reads them in the history. The API keeps Rocket.Chat's stored formats
 * (`httpResult` is the answer as JSON text, so a text answer arrives quoted and escaped); the page
 * decodes them for display only.
 */

/** The target's answer as it sent it: a JSON text holding a string is that string; JSON, pretty. */
export function responseAsSent(httpResult: unknown): string {
  if (typeof httpResult !== 'string') return '';
  const parsed = jsonOrUndefined(httpResult);
  if (parsed === undefined) return httpResult;
  if (typeof parsed === 'string') return pretty(parsed);
  return JSON.stringify(parsed, null, 2);
}

/** An incoming call's body: a form post's fields decoded (Slack's `payload=` as the JSON it holds), JSON pretty. */
export function requestBodyDecoded(body: unknown, contentType: unknown): string {
  if (typeof body !== 'string') return '';
  const type = typeof contentType === 'string' ? contentType.split(';')[0].trim().toLowerCase() : '';
  if (type === 'application/x-www-form-urlencoded') {
    const fields = new URLSearchParams(body);
    const payload = fields.get('payload');
    if (payload !== null && [...fields.keys()].length === 1) return pretty(payload);
    return [...fields.entries()].map(([name, value]) => `${name} = ${value}`).join('\n');
  }
  return pretty(body);
}

function pretty(text: string): string {
  const parsed = jsonOrUndefined(text);
  return parsed !== undefined && typeof parsed === 'object' && parsed !== null ? JSON.stringify(parsed, null, 2) : text;
}
