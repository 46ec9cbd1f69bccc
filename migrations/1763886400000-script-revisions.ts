import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every state of an integration's script, numbered per integration; existing scripts become revision 1. */
export class ScriptRevisions1763886400000 implements MigrationInterface {
  name = 'ScriptRevisions1763886400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integration_script_revisions (
        integration_id varchar(32) NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
        revision int NOT NULL,
        script text,
        script_enabled boolean NOT NULL,
        script_compiled text,
        script_error jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by_id varchar(32) NOT NULL,
        created_by_username text NOT NULL,
        PRIMARY KEY (integration_id, revision)
      )`);
    await q.query(`
      INSERT INTO integration_script_revisions (integration_id, revision, script, script_enabled, script_compiled, script_error, created_at, created_by_id, created_by_username)
      SELECT id, 1, script, coalesce(script_enabled, false), script_compiled, script_error, coalesce(updated_at, created_at),
             coalesce(updated_by_id, created_by_id), coalesce(updated_by_username, created_by_username)
      FROM integrations`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE integration_script_revisions`);
  }
}
