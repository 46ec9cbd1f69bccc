/**
 * The LIKE / ILIKE pattern matching values that contain `text` anywhere: its own `%`, `_` and `\`
 * match only themselves (backslash is PostgreSQL's default escape character).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
