import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why the server disabled an integration, stored instead of read from `_updatedBy` being
 * rocket.cat. Integrations rocket.cat disabled before count as disabled by failures, as the admin
 * UI showed them.
 */
export class DisabledReason1763887300000 implements MigrationInterface {
  name = 'DisabledReason1763887300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations ADD COLUMN disabled_reason varchar(16)`);
    await q.query(`UPDATE integrations SET disabled_reason = 'failures' WHERE NOT enabled AND updated_by_id = 'rocket.cat'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations DROP COLUMN disabled_reason`);
  }
}
