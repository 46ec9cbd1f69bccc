import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox events are consumed row by row (not past a cursor): ids can commit out of order, and an
 * event that commits late must not be skipped.
 */
export class OutboxConsumption1763885200000 implements MigrationInterface {
  name = 'OutboxConsumption1763885200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_events ADD COLUMN consumed_at timestamptz`);
    await q.query(`CREATE INDEX outbox_events_pending_idx ON outbox_events (id) WHERE consumed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_events_pending_idx`);
    await q.query(`ALTER TABLE outbox_events DROP COLUMN consumed_at`);
  }
}
