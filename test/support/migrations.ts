import { DataSource } from 'typeorm';

/**
 * Reverts the migrations down to and including `name` (newest first), then runs them all again:
 * how a test replays a data migration over rows written the way an earlier version wrote them.
 */
export async function rerunMigrationsFrom(dataSource: DataSource, name: string): Promise<void> {
  for (;;) {
    const [last] = await dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
    if (!last) throw new Error(`migration ${name} was never run`);
    await dataSource.undoLastMigration();
    if (last.name === name) break;
  }
  await dataSource.runMigrations();
}
