import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Script secrets: values sealed with AES-256-GCM (SecretsVault), one row per name; the names are
 * also kept on the integration, so answers show them without reading this table.
 */
export class ScriptSecrets1763886200000 implements MigrationInterface {
  name = 'ScriptSecrets1763886200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integration_secrets (
        integration_id varchar(32) NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
        name varchar(64) NOT NULL,
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (integration_id, name)
      )`);
    await q.query(`ALTER TABLE integrations ADD COLUMN secret_names text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations DROP COLUMN secret_names`);
    await q.query(`DROP TABLE integration_secrets`);
  }
}
