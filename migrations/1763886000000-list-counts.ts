import { MigrationInterface, QueryRunner } from 'typeorm';
import { createCounts, dropCounts } from './lib/counted-table';

/**
 * Page totals without counting: rows per room (messages) and per integration (history), per UTC
 * day, kept by statement triggers in the transaction that adds or removes rows — whatever adds
 * them (the API, a cascade from a removed room, bulk SQL).
 *
 * Triggers append to a `*_deltas` table instead of updating one counter row: a counter row would
 * be locked from the insert to the commit, so posts into one busy room would wait for each other.
 * RowCountsFolder folds the deltas into the `*_counts` table every few seconds while rows are
 * written. Per-day rows also let a deep `offset` start at the right day instead of walking
 * everything newer (see RowCounts).
 */
export class ListCounts1763886000000 implements MigrationInterface {
  name = 'ListCounts1763886000000';

  async up(q: QueryRunner): Promise<void> {
    await createCounts(q, { table: 'messages', key: 'room_id', keyType: 'varchar(64)', day: 'ts', prefix: 'room_message' });
    await createCounts(q, { table: 'integration_history', key: 'integration_id', keyType: 'varchar(32)', day: 'updated_at', prefix: 'integration_history' });
    // History moves between days when a later step updates it.
    await q.query(`
      CREATE FUNCTION integration_history_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO integration_history_count_deltas (integration_id, day, n)
          SELECT integration_id, day, sum(n) FROM (
            SELECT integration_id, (updated_at AT TIME ZONE 'UTC')::date AS day, -1 AS n FROM before_rows
            UNION ALL
            SELECT integration_id, (updated_at AT TIME ZONE 'UTC')::date, 1 FROM after_rows) moved
          GROUP BY 1, 2 HAVING sum(n) <> 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER integration_history_count_update AFTER UPDATE ON integration_history
      REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
      FOR EACH STATEMENT EXECUTE FUNCTION integration_history_count_moved()`);

    // Pages in the order of these indexes, without a sort.
    await q.query(`DROP INDEX messages_room_id_ts_idx`);
    await q.query(`CREATE INDEX messages_room_ts_id_idx ON messages (room_id, ts DESC, id DESC)`);
    await q.query(`DROP INDEX integration_history_integration_updated_idx`);
    await q.query(`CREATE INDEX integration_history_integration_updated_idx ON integration_history (integration_id, updated_at DESC, id DESC)`);
    await q.query(`CREATE INDEX integrations_created_at_idx ON integrations (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX users_username_idx ON users (username)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_username_idx`);
    await q.query(`DROP INDEX integrations_created_at_idx`);
    await q.query(`DROP INDEX integration_history_integration_updated_idx`);
    await q.query(`CREATE INDEX integration_history_integration_updated_idx ON integration_history (integration_id, updated_at DESC)`);
    await q.query(`DROP INDEX messages_room_ts_id_idx`);
    await q.query(`CREATE INDEX messages_room_id_ts_idx ON messages (room_id, ts DESC)`);
    await q.query(`DROP TRIGGER integration_history_count_update ON integration_history`);
    await q.query(`DROP FUNCTION integration_history_count_moved()`);
    await dropCounts(q, { table: 'messages', prefix: 'room_message' });
    await dropCounts(q, { table: 'integration_history', prefix: 'integration_history' });
  }
}
