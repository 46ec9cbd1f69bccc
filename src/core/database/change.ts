/**
 * A write to make inside another statement (as one of its WITH queries): SQL without a trailing
 * `;`, with its parameters numbered from $1. Lets the module that owns a table write it as part of
 * another module's statement: atomic without a transaction, and one round trip.
 */
export interface Change {
  sql: string;
  params: unknown[];
}

/** `sql` with its parameters `$1`, `$2`, … renumbered to start after `offset`. */
export function shiftParams(sql: string, offset: number): string {
  // Our SQL has no dollar-quoted strings, so every `$n` is a parameter.
  return offset === 0 ? sql : sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}

/** `changes` as WITH queries named `change0`, `change1`, …, their parameters renumbered to follow `offset`. */
export function asWithQueries(changes: readonly Change[], offset = 0): { with: string[]; params: unknown[] } {
  const params: unknown[] = [];
  const queries = changes.map((change, i) => {
    const base = offset + params.length;
    params.push(...change.params);
    return `change${i} AS (${shiftParams(change.sql, base)})`;
  });
  return { with: queries, params };
}
