import { DataSource } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { Change } from '../core/database/change';
import { Message } from './entities/message.entity';

/**
 * The INSERT of a new message as a Change (OutboxService.recordWith adds its event in the same
 * statement), or of many in one statement (`ofMany`: one array per column, so its text is the
 * same whatever the count). Built from the entity's columns, so a column added to Message is
 * written too.
 */
export class MessageInsert {
  private readonly columns: ColumnMetadata[];
  private readonly sql: string;
  private readonly manySql: string;

  constructor(dataSource: DataSource) {
    const seen = new Set<string>();
    // room_id is both the roomId column and the room relation's join column: written once.
    this.columns = dataSource.getMetadata(Message).columns.filter((c) => !seen.has(c.databaseName) && seen.add(c.databaseName));
    const values = this.columns.map((c, i) => `$${i + 1}${c.type === 'jsonb' ? '::jsonb' : ''}`);
    const names = this.columns.map((c) => c.databaseName).join(', ');
    this.sql = `INSERT INTO messages (${names}) VALUES (${values.join(', ')})`;
    const arrays = this.columns.map((c, i) => `$${i + 1}::${String(c.type)}[]`);
    this.manySql = `INSERT INTO messages (${names}) SELECT * FROM unnest(${arrays.join(', ')})`;
  }

  of(message: Message): Change {
    return { sql: this.sql, params: this.columns.map((c) => this.valueOf(c, message)) };
  }

  ofMany(messages: readonly Message[]): Change {
    return { sql: this.manySql, params: this.columns.map((c) => messages.map((m) => this.valueOf(c, m))) };
  }

  private valueOf(column: ColumnMetadata, message: Message): unknown {
    const value: unknown = column.getEntityValue(message);
    if (value === undefined) return null;
    return column.type === 'jsonb' && value !== null ? JSON.stringify(value) : value;
  }
}
