import { DataSource } from 'typeorm';

/** pg_advisory_lock key of schema migrations (any fixed number; only this takes it). */
const MIGRATIONS_LOCK = 7_165_239_104;

/**
 * Runs the pending migrations while holding a session advisory lock: processes started together
 * on one database take turns, the first migrates, the others find nothing left to run. TypeORM's
 * own `migrationsRun` takes no lock, and two processes migrating an empty database at once trip
 * over each other's tables.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
