import { asText } from '../core/text/as-text';

/** The offset a list page's URL asks for; a missing or malformed one is 0. */
export function offsetOf(query: unknown): number {
  const raw = (query as { offset?: unknown } | undefined)?.offset;
  return Math.max(0, Number.parseInt(asText(raw, '0'), 10) || 0);
}

/** Links to the previous and next pages of a list (null at either end), keeping its other parameters. */
export function pageLinks(offset: number, size: number, total: number, params: Record<string, string> = {}): { previous: string | null; next: string | null } {
  const at = (to: number) => `?${new URLSearchParams({ ...params, offset: String(to) }).toString()}`;
  return { previous: offset > 0 ? at(Math.max(0, offset - size)) : null, next: offset + size < total ? at(offset + size) : null };
}
