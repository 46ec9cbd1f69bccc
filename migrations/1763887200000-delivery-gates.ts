import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Limits every process of a cluster keeps together when it claims deliveries:
 *  - `delivery_url_owners`: a url is delivered to by one process at a time (its owner until
 *    `until`, renewed with its leases), so the url's concurrency cap holds for the cluster;
 *  - `delivery_throttles`: the next free send time of each throttled outgoing integration
 *    (`delivery_rate_limit` per second), which claims reserve slots from.
 */
export class DeliveryGates1763887200000 implements MigrationInterface {
  name = 'DeliveryGates1763887200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations ADD COLUMN delivery_rate_limit double precision`);
    await q.query(`CREATE TABLE delivery_url_owners (url text PRIMARY KEY, owner text NOT NULL, until timestamptz NOT NULL)`);
    await q.query(`
      CREATE TABLE delivery_throttles (
        integration_id varchar(32) PRIMARY KEY
          CONSTRAINT delivery_throttles_integration_id_fkey REFERENCES integrations (id) ON DELETE CASCADE,
        next_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE delivery_throttles`);
    await q.query(`DROP TABLE delivery_url_owners`);
    await q.query(`ALTER TABLE integrations DROP COLUMN delivery_rate_limit`);
  }
}
