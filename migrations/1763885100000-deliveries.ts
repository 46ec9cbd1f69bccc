import { MigrationInterface, QueryRunner } from 'typeorm';

/** The durable queue of outgoing deliveries: one row per (integration, url, event) to send. */
export class Deliveries1763885100000 implements MigrationInterface {
  name = 'Deliveries1763885100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integration_deliveries (
        id bigserial PRIMARY KEY,
        integration_id varchar(32) NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
        event varchar(32) NOT NULL,
        url text NOT NULL,
        payload jsonb NOT NULL,
        attempt integer NOT NULL DEFAULT 0,
        state varchar(16) NOT NULL DEFAULT 'pending',
        run_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        replay_of varchar(32),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX integration_deliveries_due_idx ON integration_deliveries (run_at) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX integration_deliveries_integration_idx ON integration_deliveries (integration_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE integration_deliveries`);
  }
}
