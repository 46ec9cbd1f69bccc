/** Rocket.Chat's user agent for outgoing webhooks; targets that sniff it keep working. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2227.0 Safari/537.36';

/** The request an outgoing delivery makes, as `prepare_outgoing_request` sees and may return it. */
export interface PreparedRequest {
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  data?: unknown;
  auth?: string;
  timeout?: number;
  message?: Record<string, unknown>;
  params?: Record<string, unknown>;
}

/** The headers of the default request, which an integration's own headers replace. */
export const DEFAULT_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'User-Agent': USER_AGENT });

/** The request made when no script changes it: POST the data to the url. */
export function defaultRequest(url: string, data: Record<string, unknown>): PreparedRequest {
  return { params: {}, method: 'POST', url, data, headers: { ...DEFAULT_HEADERS } };
}

/**
 * The body of a delivery: a string the script prepared goes as it is, anything else as JSON
 * (Rocket.Chat's fetch does the same). Like Rocket.Chat, an empty string sends no body.
 */
export function requestBody(data: unknown): string | undefined {
  if (data === undefined || data === null || data === '') return undefined;
  return typeof data === 'string' ? data : JSON.stringify(data);
}

/**
 * The headers to send: the prepared ones, Basic authorization from `auth` ("user:password";
 * undefined when it is not), and a JSON content type when there is a body and none was given.
 */
export function requestHeaders(request: PreparedRequest, body: string | undefined): Record<string, string> | undefined {
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (request.auth) {
    if (typeof request.auth !== 'string' || !request.auth.includes(':')) return undefined;
    headers.Authorization = `Basic ${Buffer.from(request.auth).toString('base64')}`;
  }
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  return headers;
}
