import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each delivery carries its own random `webhook-id` (it was `msg_<row id>`, which restarts on
 * every database, so two installations sent the same ids). Waiting deliveries get one here.
 */
export class DeliveryMessageIds1763885600000 implements MigrationInterface {
  name = 'DeliveryMessageIds1763885600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integration_deliveries ADD COLUMN message_id text`);
    await q.query(`UPDATE integration_deliveries SET message_id = 'msg_' || replace(gen_random_uuid()::text, '-', '')`);
    await q.query(`ALTER TABLE integration_deliveries ALTER COLUMN message_id SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integration_deliveries DROP COLUMN message_id`);
  }
}
