import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DomainEventName } from '../domain-events';

/**
 * A domain event, written in the same transaction as the change it reports, so it exists exactly
 * when the change does. Consumers read in `id` order.
 */
@Entity('outbox_events')
@Index('outbox_events_pending_idx', { synchronize: false })
@Index('outbox_events_consumed_idx', { synchronize: false })
export class OutboxEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  event: DomainEventName;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When the consumer handled it; null while waiting. */
  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt: Date | null;
}
