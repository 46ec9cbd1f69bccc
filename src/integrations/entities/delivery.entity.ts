import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Integration } from './integration.entity';

export type DeliveryState = 'pending' | 'running' | 'done' | 'failed';

/**
 * One outgoing delivery waiting to be made, or made: the unit of the durable queue. A worker
 * leases due rows (`run_at`, `locked_until`), so a delivery survives restarts and is made by one
 * process among several.
 */
@Entity('integration_deliveries')
@Index('integration_deliveries_due_idx', { synchronize: false })
export class Delivery {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index('integration_deliveries_integration_idx')
  @Column({ name: 'integration_id', type: 'varchar', length: 32 })
  integrationId: string;

  @ManyToOne(() => Integration, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'integration_deliveries_integration_id_fkey' })
  integration?: Integration;

  @Column({ type: 'varchar', length: 32 })
  event: string;

  /** Its `webhook-id` (Standard Webhooks): the same for every attempt of this delivery. */
  @Column({ name: 'message_id', type: 'text' })
  messageId: string;

  @Column({ type: 'text' })
  url: string;

  /** What the request body is built from: the event's data. */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  attempt: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  state: DeliveryState;

  @Column({ name: 'run_at', type: 'timestamptz', default: () => 'now()' })
  runAt: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  /** The history record this delivery replays, if it is a replay. */
  @Column({ name: 'replay_of', type: 'varchar', length: 32, nullable: true })
  replayOf: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
