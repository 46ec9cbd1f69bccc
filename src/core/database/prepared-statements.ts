import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DatabaseError, Pool } from 'pg';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { driverPool } from './driver-pool';

/**
 * Hot statements of a fixed text (a message's insert) as named prepared statements: PostgreSQL
 * parses and plans each once per connection instead of on every call, which was a fifth of the
 * database's time per hook call, and the call skips TypeORM's query runner. Inside a transaction
 * the statement goes through that transaction's manager as usual. Errors look as TypeORM's do
 * (a failed statement is a QueryFailedError), so callers need not know which way it went.
 * Only for statements whose text does not vary with their data: every text is prepared on every
 * connection that runs it.
 */
@Injectable()
export class PreparedStatements {
  private readonly names = new Map<string, string>();
  private readonly listeners: ((sql: string, succeeded: boolean) => void)[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async query<R>(manager: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
    if (manager.queryRunner) return await manager.query<R[]>(sql, params);
    const pool = driverPool(this.dataSource) as Pool;
    let succeeded = false;
    try {
      const result = await pool.query({ name: this.nameOf(sql), text: sql, values: params });
      succeeded = true;
      return result.rows as R[];
    } catch (error) {
      throw error instanceof DatabaseError ? new QueryFailedError(sql, params, error) : error;
    } finally {
      for (const listener of this.listeners) listener(sql, succeeded);
    }
  }

  /** Calls `listener` after every statement sent this way (TypeORM's subscribers, afterQuery included, do not see them). */
  onStatement(listener: (sql: string, succeeded: boolean) => void): void {
    this.listeners.push(listener);
  }

  private nameOf(sql: string): string {
    let name = this.names.get(sql);
    if (!name) {
      name = `hookline_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
      this.names.set(sql, name);
    }
    return name;
  }
}
