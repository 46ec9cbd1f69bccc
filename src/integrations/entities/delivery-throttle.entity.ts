import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Integration } from './integration.entity';

/**
 * The next free send time of an outgoing integration with a `deliveryRateLimit`: each claim
 * reserves its deliveries' send times from here, one every 1/rate seconds, whichever process
 * claims. Written only by DeliveryQueue.
 */
@Entity('delivery_throttles')
export class DeliveryThrottle {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 32 })
  integrationId: string;

  @OneToOne(() => Integration, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'delivery_throttles_integration_id_fkey' })
  integration?: Integration;

  @Column({ name: 'next_at', type: 'timestamptz' })
  nextAt: Date;
}
