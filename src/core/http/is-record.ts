/** A JSON object: not null, not an array (what a field typed `object` in Rocket.Chat's schemas must hold). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
