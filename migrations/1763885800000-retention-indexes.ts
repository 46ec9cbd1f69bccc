import { MigrationInterface, QueryRunner } from 'typeorm';

/** Old rows are pruned in batches (retention): these find them without scanning the tables. */
export class RetentionIndexes1763885800000 implements MigrationInterface {
  name = 'RetentionIndexes1763885800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_events_consumed_idx ON outbox_events (consumed_at) WHERE consumed_at IS NOT NULL`);
    await q.query(`CREATE INDEX integration_history_created_idx ON integration_history (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX integration_history_created_idx`);
    await q.query(`DROP INDEX outbox_events_consumed_idx`);
  }
}
