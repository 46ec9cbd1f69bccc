import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Integration } from './integration.entity';

/** `running`: leased by a server process until `run_at`; a finished delivery is deleted. */
export type DeliveryState = 'pending' | 'running';

/**
 * One outgoing delivery waiting to be made: the unit of the durable queue. A row is due when its
 * `run_at` has passed; a worker leases it by moving `run_at` past the lease, so a delivery survives
 * restarts, is made by one process among several, and returns to the queue when a lease runs out.
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

  /** When it is due: its first try, its next retry, or the end of its lease. */
  @Column({ name: 'run_at', type: 'timestamptz', default: () => 'now()' })
  runAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
