import { MigrationInterface, QueryRunner } from 'typeorm';

/** Login limits every process of a cluster shares: failed logins per user and per address, and the login rate per address. */
export class SharedLoginLimits1763887100000 implements MigrationInterface {
  name = 'SharedLoginLimits1763887100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE login_failures (key text PRIMARY KEY, failures int NOT NULL, last_failed_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE rate_windows (key text PRIMARY KEY, hits int NOT NULL, ends_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_windows`);
    await q.query(`DROP TABLE login_failures`);
  }
}
