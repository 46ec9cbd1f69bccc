import { MigrationInterface, QueryRunner } from 'typeorm';

/** An outgoing integration's own headers: names here, values sealed in integration_secrets as `header:<name>`. */
export class CustomHeaders1763887000000 implements MigrationInterface {
  name = 'CustomHeaders1763887000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations ADD COLUMN header_names text[]`);
    // `header:` and a header name of up to 128 characters.
    await q.query(`ALTER TABLE integration_secrets ALTER COLUMN name TYPE varchar(140)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM integration_secrets WHERE name LIKE 'header:%'`);
    await q.query(`ALTER TABLE integration_secrets ALTER COLUMN name TYPE varchar(64)`);
    await q.query(`ALTER TABLE integrations DROP COLUMN header_names`);
  }
}
