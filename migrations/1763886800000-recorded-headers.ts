import { MigrationInterface, QueryRunner } from 'typeorm';

/** The request headers a delivery sent and an incoming call came with (sensitive values masked), for the history. */
export class RecordedHeaders1763886800000 implements MigrationInterface {
  name = 'RecordedHeaders1763886800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integration_history ADD COLUMN request_headers jsonb`);
    await q.query(`ALTER TABLE incoming_calls ADD COLUMN headers jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incoming_calls DROP COLUMN headers`);
    await q.query(`ALTER TABLE integration_history DROP COLUMN request_headers`);
  }
}
