import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One execution of an outgoing webhook, step by step (integrations spec §1.4, §5.8). */
@Entity('integration_history')
@Index('integration_history_integration_updated_idx', { synchronize: false })
@Index('integration_history_created_idx', { synchronize: false })
export class IntegrationHistory {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ type: 'varchar', length: 20, default: 'outgoing-webhook' })
  type: string;

  @Column({ name: 'integration_id', type: 'varchar', length: 32 })
  integrationId: string;

  /** For the "own integrations only" filter without opening the snapshot. */
  @Column({ name: 'integration_created_by_id', type: 'varchar', length: 32 })
  integrationCreatedById: string;

  /** The integration document as it was when the execution started. */
  @Column({ type: 'jsonb' })
  integration: Record<string, unknown>;

  @Column({ type: 'text' })
  step: string;

  @Column({ type: 'varchar', length: 32 })
  event: string;

  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @Column({ name: 'trigger_word', type: 'text', nullable: true })
  triggerWord: string | null;

  @Column({ name: 'ran_prepare_script', type: 'boolean', nullable: true })
  ranPrepareScript: boolean | null;

  @Column({ name: 'prepare_sent_message', type: 'jsonb', nullable: true })
  prepareSentMessage: unknown[] | null;

  @Column({ name: 'process_sent_message', type: 'jsonb', nullable: true })
  processSentMessage: unknown[] | null;

  @Column({ name: 'result_message', type: 'jsonb', nullable: true })
  resultMessage: unknown[] | null;

  @Column({ type: 'boolean', nullable: true })
  finished: boolean | null;

  @Column({ type: 'text', nullable: true })
  url: string | null;

  @Column({ name: 'http_call_data', type: 'jsonb', nullable: true })
  httpCallData: unknown;

  @Column({ name: 'http_error', type: 'jsonb', nullable: true })
  httpError: unknown;

  /** Hookline's addition: the headers the call was sent with, sensitive values masked (recorded-headers.ts). */
  @Column({ name: 'request_headers', type: 'jsonb', nullable: true })
  requestHeaders: Record<string, string> | null;

  @Column({ name: 'http_result', type: 'text', nullable: true })
  httpResult: string | null;

  @Column({ type: 'boolean', nullable: true })
  error: boolean | null;

  @Column({ name: 'error_stack', type: 'jsonb', nullable: true })
  errorStack: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
