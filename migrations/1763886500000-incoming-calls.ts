import { MigrationInterface, QueryRunner } from 'typeorm';
import { createCounts, dropCounts } from './lib/counted-table';

/**
 * Incoming call history: one row per call of an existing incoming integration (IncomingCallLog),
 * counted per integration and day like outgoing history, pruned by the same retention.
 */
export class IncomingCalls1763886500000 implements MigrationInterface {
  name = 'IncomingCalls1763886500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incoming_calls (
        id varchar(32) PRIMARY KEY,
        integration_id varchar(32) NOT NULL,
        created_at timestamptz NOT NULL,
        method varchar(8) NOT NULL,
        content_type text,
        body_bytes int NOT NULL,
        body text NOT NULL,
        body_truncated boolean NOT NULL,
        script varchar(8) NOT NULL,
        script_error text,
        status int NOT NULL,
        error text,
        message_ids text[] NOT NULL,
        duration_ms real NOT NULL
      )`);
    await q.query(`CREATE INDEX incoming_calls_integration_created_idx ON incoming_calls (integration_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX incoming_calls_created_idx ON incoming_calls (created_at)`);
    await createCounts(q, { table: 'incoming_calls', key: 'integration_id', keyType: 'varchar(32)', day: 'created_at', prefix: 'incoming_call' });
  }

  async down(q: QueryRunner): Promise<void> {
    await dropCounts(q, { table: 'incoming_calls', prefix: 'incoming_call' });
    await q.query(`DROP TABLE incoming_calls`);
  }
}
