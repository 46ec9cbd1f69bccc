import { EntityManager } from 'typeorm';

/**
 * A table whose rows triggers count per key and UTC day (migration 1763886000000-list-counts):
 * `<prefix>_counts` holds folded counts, `<prefix>_count_deltas` what was added or removed since.
 */
export interface CountedTable {
  prefix: string;
  /** The column rows are counted by (room, integration). */
  key: string;
}

/** Where the page at an offset starts, in the newest-first order of a counted table. */
export interface PageStart {
  /** Every row of the key: exact, as of the statement's snapshot. */
  total: number;
  /**
   * The page starts below this instant (the end of the UTC day holding the offset), after
   * skipping `skip` rows; null when the offset is at or past the end.
   */
  until: Date | null;
  skip: number;
  /** Deltas not folded yet for this key (readers ask for a fold when they pile up). */
  pending: number;
}

/** Deltas folded per statement, so no fold holds its locks for long. */
export const FOLD_BATCH = 10_000;

/** Reads and folds the per-day counts of one counted table. */
export class RowCounts {
  private readonly locateSql: string;
  private readonly foldSql: string;
  private readonly dropZerosSql: string;

  constructor(readonly table: CountedTable) {
    const { prefix, key } = table;
    this.locateSql = `
      WITH counted AS (
        SELECT day, n FROM ${prefix}_counts WHERE ${key} = $1
        UNION ALL SELECT day, n FROM ${prefix}_count_deltas WHERE ${key} = $1),
      days AS (SELECT day, sum(n) AS n FROM counted GROUP BY day),
      running AS (SELECT day, n, sum(n) OVER (ORDER BY day DESC) AS through FROM days),
      start AS (SELECT day, through - n AS before FROM running WHERE through > $2 ORDER BY day DESC LIMIT 1)
      SELECT (SELECT coalesce(sum(n), 0) FROM days)::bigint AS total,
             (SELECT (day + 1)::timestamp AT TIME ZONE 'UTC' FROM start) AS until,
             (SELECT before FROM start)::bigint AS before,
             (SELECT count(*) FROM ${prefix}_count_deltas WHERE ${key} = $1)::int AS pending`;
    // Deleting the deltas and adding them to the counts in one statement keeps every total exact;
    // processes folding at once take disjoint deltas.
    this.foldSql = `
      WITH folded AS (
        DELETE FROM ${prefix}_count_deltas WHERE ctid IN (SELECT ctid FROM ${prefix}_count_deltas LIMIT ${FOLD_BATCH})
        RETURNING ${key}, day, n),
      sums AS (SELECT ${key}, day, sum(n)::bigint AS n FROM folded GROUP BY 1, 2 HAVING sum(n) <> 0),
      upserted AS (
        INSERT INTO ${prefix}_counts AS c (${key}, day, n) SELECT ${key}, day, n FROM sums
        ON CONFLICT (${key}, day) DO UPDATE SET n = c.n + EXCLUDED.n
        RETURNING c.${key} AS key, c.day, c.n)
      SELECT (SELECT count(*) FROM folded)::int AS folded,
             array(SELECT key FROM upserted WHERE n = 0) AS zero_keys,
             array(SELECT day::text FROM upserted WHERE n = 0) AS zero_days`;
    this.dropZerosSql = `
      DELETE FROM ${prefix}_counts c USING unnest($1::text[], $2::date[]) AS z (key, day)
      WHERE c.${key} = z.key AND c.day = z.day AND c.n = 0`;
  }

  async locate(m: EntityManager, key: string, offset: number): Promise<PageStart> {
    const [row] = await m.query<{ total: string; until: Date | null; before: string | null; pending: number }[]>(this.locateSql, [key, offset]);
    return { total: Number(row.total), until: row.until, skip: offset - Number(row.before ?? 0), pending: row.pending };
  }

  /** Folds up to FOLD_BATCH deltas into the counts; returns how many it folded. */
  async fold(m: EntityManager): Promise<number> {
    const [row] = await m.query<{ folded: number; zero_keys: string[]; zero_days: string[] }[]>(this.foldSql);
    // A day whose rows are all gone (a removed room, pruned history) leaves no row behind.
    if (row.zero_keys.length) await m.query(this.dropZerosSql, [row.zero_keys, row.zero_days]);
    return row.folded;
  }
}
