import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delivery engine wakes instead of polling:
 *  - A delivery's lease is its `run_at` (a claim moves it past the lease), so "due" is one indexed
 *    condition, `run_at <= now()`, for waiting rows and for leases a dead process left alike.
 *  - Deliveries that become due NOTIFY `hookline_changes`, so other server processes wake at
 *    once; a lease taken NOTIFYs too (`delivery_leases`), so the others look again when it would
 *    run out, in case its holder dies. New outbox events do not: the process that commits them
 *    dispatches them itself, and a NOTIFY per message serialises commits (PostgreSQL takes a
 *    global lock to queue notifications at commit), which cost chat.postMessage a sixth of its
 *    rate.
 *  - Every notification names the sending connection's `application_name`: a server process
 *    ignores its own (it already knows) and wakes only for the others'.
 */
export class WakeDontPoll1763885900000 implements MigrationInterface {
  name = 'WakeDontPoll1763885900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE integration_deliveries SET run_at = coalesce(locked_until, now()) WHERE state = 'running'`);
    await q.query(`UPDATE integration_deliveries SET state = 'pending' WHERE state NOT IN ('pending', 'running')`);
    await q.query(`ALTER TABLE integration_deliveries DROP COLUMN locked_until`);
    // Written, never read: a replay is an ordinary delivery.
    await q.query(`ALTER TABLE integration_deliveries DROP COLUMN replay_of`);
    await q.query(`DROP INDEX integration_deliveries_due_idx`);
    await q.query(`CREATE INDEX integration_deliveries_due_idx ON integration_deliveries (run_at, id)`);

    await q.query(`
      CREATE OR REPLACE FUNCTION hookline_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('hookline_changes', TG_TABLE_NAME || ' ' || current_setting('application_name'));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER integration_deliveries_notify_change AFTER INSERT OR UPDATE ON integration_deliveries
      FOR EACH ROW WHEN (NEW.state = 'pending') EXECUTE FUNCTION hookline_notify_change()`);
    // A lease taken tells the others when to look again: if its holder dies, the rows fall due when it runs out.
    await q.query(`
      CREATE FUNCTION hookline_notify_lease() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('hookline_changes', 'delivery_leases ' || current_setting('application_name'));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER integration_deliveries_notify_lease_taken AFTER UPDATE ON integration_deliveries
      FOR EACH ROW WHEN (NEW.state = 'running' AND OLD.state = 'pending') EXECUTE FUNCTION hookline_notify_lease()`);
    await q.query(`
      CREATE TRIGGER integration_deliveries_notify_lease_queued AFTER INSERT ON integration_deliveries
      FOR EACH ROW WHEN (NEW.state = 'running') EXECUTE FUNCTION hookline_notify_lease()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER integration_deliveries_notify_lease_queued ON integration_deliveries`);
    await q.query(`DROP TRIGGER integration_deliveries_notify_lease_taken ON integration_deliveries`);
    await q.query(`DROP FUNCTION hookline_notify_lease()`);
    await q.query(`DROP TRIGGER integration_deliveries_notify_change ON integration_deliveries`);
    await q.query(`
      CREATE OR REPLACE FUNCTION hookline_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('hookline_changes', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    await q.query(`DROP INDEX integration_deliveries_due_idx`);
    await q.query(`CREATE INDEX integration_deliveries_due_idx ON integration_deliveries (run_at) WHERE state = 'pending'`);
    await q.query(`ALTER TABLE integration_deliveries ADD COLUMN replay_of varchar(32)`);
    await q.query(`ALTER TABLE integration_deliveries ADD COLUMN locked_until timestamptz`);
    await q.query(`UPDATE integration_deliveries SET locked_until = run_at WHERE state = 'running'`);
  }
}
