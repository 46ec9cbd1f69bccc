import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What happened to one call of an incoming webhook (a hook of an existing integration). */
@Entity('incoming_calls')
@Index('incoming_calls_integration_created_idx', { synchronize: false })
@Index('incoming_calls_created_idx', { synchronize: false })
export class IncomingCall {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ name: 'integration_id', type: 'varchar', length: 32 })
  integrationId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'varchar', length: 8 })
  method: string;

  @Column({ name: 'content_type', type: 'text', nullable: true })
  contentType: string | null;

  @Column({ name: 'body_bytes', type: 'int' })
  bodyBytes: number;

  /** The request's headers, sensitive values masked (recorded-headers.ts); null for calls recorded before they were kept. */
  @Column({ type: 'jsonb', nullable: true })
  headers: Record<string, string> | null;

  /** The first 8 kB of the body. */
  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'body_truncated', type: 'boolean' })
  bodyTruncated: boolean;

  /** `ok`, `error` or `skipped` (no script to run). */
  @Column({ type: 'varchar', length: 8 })
  script: string;

  @Column({ name: 'script_error', type: 'text', nullable: true })
  scriptError: string | null;

  /** The HTTP status of the answer. */
  @Column({ type: 'int' })
  status: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'message_ids', type: 'text', array: true })
  messageIds: string[];

  @Column({ name: 'duration_ms', type: 'real' })
  durationMs: number;
}

/** A call went wrong when its answer was an error or its script failed (what `outcome=error` selects). */
export function callFailed(call: { status: number; script: string }): boolean {
  return call.status >= 400 || call.script === 'error';
}
