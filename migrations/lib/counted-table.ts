import { QueryRunner } from 'typeorm';

/** What a counted table is counted by: its key column and the timestamp whose UTC day buckets the rows. */
export interface CountedTableSpec {
  table: string;
  key: string;
  keyType: string;
  day: string;
  prefix: string;
}

/**
 * Per-key, per-UTC-day counts of `table` (RowCounts reads them): a counts table, a deltas table
 * its statement triggers append to, and the counts of the rows already there.
 */
export async function createCounts(q: QueryRunner, t: CountedTableSpec): Promise<void> {
  const day = (rows: string) => `SELECT ${t.key}, (${t.day} AT TIME ZONE 'UTC')::date, count(*) FROM ${rows} GROUP BY 1, 2`;
  await q.query(`CREATE TABLE ${t.prefix}_counts (${t.key} ${t.keyType} NOT NULL, day date NOT NULL, n bigint NOT NULL, PRIMARY KEY (${t.key}, day))`);
  await q.query(`CREATE TABLE ${t.prefix}_count_deltas (${t.key} ${t.keyType} NOT NULL, day date NOT NULL, n bigint NOT NULL)`);
  await q.query(`CREATE INDEX ${t.prefix}_count_deltas_key_idx ON ${t.prefix}_count_deltas (${t.key})`);
  await q.query(`INSERT INTO ${t.prefix}_counts (${t.key}, day, n) ${day(t.table)}`);
  await q.query(`
    CREATE FUNCTION ${t.prefix}_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO ${t.prefix}_count_deltas (${t.key}, day, n) ${day('added')};
      RETURN NULL;
    END $$`);
  await q.query(`
    CREATE FUNCTION ${t.prefix}_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO ${t.prefix}_count_deltas (${t.key}, day, n) SELECT ${t.key}, day, -n FROM (${day('removed')}) AS r (${t.key}, day, n);
      RETURN NULL;
    END $$`);
  await q.query(`
    CREATE FUNCTION ${t.prefix}_count_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM ${t.prefix}_count_deltas;
      DELETE FROM ${t.prefix}_counts;
      RETURN NULL;
    END $$`);
  await q.query(`
    CREATE TRIGGER ${t.prefix}_count_insert AFTER INSERT ON ${t.table}
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ${t.prefix}_count_added()`);
  await q.query(`
    CREATE TRIGGER ${t.prefix}_count_delete AFTER DELETE ON ${t.table}
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION ${t.prefix}_count_removed()`);
  await q.query(`CREATE TRIGGER ${t.prefix}_count_truncate AFTER TRUNCATE ON ${t.table} FOR EACH STATEMENT EXECUTE FUNCTION ${t.prefix}_count_cleared()`);
}

/** Undoes createCounts. */
export async function dropCounts(q: QueryRunner, t: Pick<CountedTableSpec, 'table' | 'prefix'>): Promise<void> {
  for (const event of ['insert', 'delete', 'truncate']) await q.query(`DROP TRIGGER ${t.prefix}_count_${event} ON ${t.table}`);
  for (const fn of ['added', 'removed', 'cleared']) await q.query(`DROP FUNCTION ${t.prefix}_count_${fn}()`);
  await q.query(`DROP TABLE ${t.prefix}_count_deltas`);
  await q.query(`DROP TABLE ${t.prefix}_counts`);
}
