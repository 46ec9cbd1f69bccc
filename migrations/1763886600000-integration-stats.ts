import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery health per integration, kept as calls and deliveries finish (IntegrationStats): counts
 * per 5-minute bucket, the last success and failure, and the run of failures since the last
 * success (what auto-disable reads).
 */
export class IntegrationStats1763886600000 implements MigrationInterface {
  name = 'IntegrationStats1763886600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integration_stats (
        integration_id varchar(32) NOT NULL,
        bucket timestamptz NOT NULL,
        attempts int NOT NULL,
        failures int NOT NULL,
        PRIMARY KEY (integration_id, bucket)
      )`);
    await q.query(`
      CREATE TABLE integration_health (
        integration_id varchar(32) PRIMARY KEY,
        last_success_at timestamptz,
        last_failure_at timestamptz,
        last_failure text,
        failing_since timestamptz,
        failures_since int NOT NULL DEFAULT 0
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE integration_health`);
    await q.query(`DROP TABLE integration_stats`);
  }
}
