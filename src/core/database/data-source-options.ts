import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { migrations } from '../../../migrations';
import { PgConnectionTarget } from './embedded-database';

/** Options shared by the app, the tests and the migration CLI. `synchronize` is never on. */
export function dataSourceOptions(
  target: { url: string } | PgConnectionTarget,
  poolSize: number,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    ...target,
    synchronize: false,
    migrationsRun: true,
    migrations,
    migrationsTransactionMode: 'each',
    extra: { max: poolSize },
  };
}
