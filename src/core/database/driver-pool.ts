import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

/**
 * The `pg` pool under TypeORM's PostgreSQL driver (TypeORM keeps it as `master`, outside its typed
 * API: this is the one place that reaches for it); undefined until the data source connects.
 */
export function driverPool(dataSource: DataSource): Pool | undefined {
  return (dataSource.driver as unknown as { master?: Pool }).master;
}
