import { DataSource } from 'typeorm';

/**
 * Deletes up to `limit` rows of `table` whose `created_at` is more than `days` days old, oldest
 * first (through the table's `created_at` index); returns how many. Retention deletes in batches
 * like this, so no statement holds locks for long. `table` is a constant of the owning module.
 */
export async function deleteOlderThan(dataSource: DataSource, table: string, days: number, limit: number): Promise<number> {
  const [, deleted] = await dataSource.query<[unknown, number]>(
    `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE created_at < now() - make_interval(days => $2) ORDER BY created_at LIMIT $1)`,
    [limit, days],
  );
  return deleted;
}
