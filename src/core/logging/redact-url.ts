/**
 * Hook URLs carry their secret token as the last path segment (`/hooks/:id/:token`,
 * `/hooks/:id/:userId/:token`, `/hooks/sample/:id/:token`): keep it out of the logs.
 */
export function redactUrl(url: string): string {
  const [path, query] = splitOnce(url, '?');
  const segments = path.split('/');
  if (segments[1] === 'hooks' && segments.length >= 4) segments[segments.length - 1] = '[redacted]';
  return query === undefined ? segments.join('/') : `${segments.join('/')}?${query}`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
