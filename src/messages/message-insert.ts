import { DataSource } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { Change } from '../core/database/change';
import { Message } from './entities/message.entity';

/**
 * The INSERT of a new message as a Change (OutboxService.recordWith adds its event in the same
 * statement). Built from the entity's columns, so a column added to Message is written too.
 */
export class MessageInsert {
  private readonly columns: ColumnMetadata[];
  private readonly sql: string;

  constructor(dataSource: DataSource) {
    const seen = new Set<string>();
    // room_id is both the roomId column and the room relation's join column: written once.
    this.columns = dataSource.getMetadata(Message).columns.filter((c) => !seen.has(c.databaseName) && seen.add(c.databaseName));
    const values = this.columns.map((c, i) => `$${i + 1}${c.type === 'jsonb' ? '::jsonb' : ''}`);
    this.sql = `INSERT INTO messages (${this.columns.map((c) => c.databaseName).join(', ')}) VALUES (${values.join(', ')})`;
  }

  of(message: Message): Change {
    const params = this.columns.map((c) => {
      const value: unknown = c.getEntityValue(message);
      if (value === undefined) return null;
      return c.type === 'jsonb' && value !== null ? JSON.stringify(value) : value;
    });
    return { sql: this.sql, params };
  }
}
