import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['users', 'login_tokens', 'rooms', 'subscriptions', 'integrations', 'roles', 'permissions'];

/**
 * Tables cached in memory announce their changes (NOTIFY hookline_changes, payload: the table
 * name), once per statement and only on commit, so every server process sharing the database
 * can drop what it cached.
 */
export class ChangeNotifications1763885400000 implements MigrationInterface {
  name = 'ChangeNotifications1763885400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION hookline_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('hookline_changes', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await q.query(
        `CREATE TRIGGER ${table}_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION hookline_notify_change()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`DROP TRIGGER ${table}_notify_change ON ${table}`);
    await q.query(`DROP FUNCTION hookline_notify_change()`);
  }
}
