import { randomBytes } from 'node:crypto';
import { ClientConfig } from 'pg';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { migrations } from '../../../migrations';
import { PgConnectionTarget } from './embedded-database';

/** The database the app talks to: an external one by URL, or the embedded one by socket. */
export type DatabaseTarget = { url: string } | PgConnectionTarget;
/** Injection token of the DatabaseTarget in use. */
export const DATABASE_TARGET = Symbol('DATABASE_TARGET');

/** Options shared by the app, the tests and the migration CLI. `synchronize` is never on. */
export function dataSourceOptions(target: DatabaseTarget, poolSize: number): PostgresConnectionOptions {
  return {
    type: 'postgres',
    ...target,
    synchronize: false,
    // The application migrates under a lock of its own (locked-migrations.ts).
    migrationsRun: false,
    migrations,
    migrationsTransactionMode: 'each',
    // Names this process's connections: change notifications carry it, so a process skips its own.
    applicationName: `hookline ${process.pid}-${randomBytes(4).toString('hex')}`,
    extra: { max: poolSize },
  };
}

/** The same target for a plain `pg` client (the change feed's listening connection). */
export function pgClientConfig(target: DatabaseTarget): ClientConfig {
  return 'url' in target
    ? { connectionString: target.url }
    : { host: target.host, port: target.port, user: target.username, database: target.database };
}
