import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The process delivering to a url (its pool's `application_name`) until `until`: others claim
 * none of that url's deliveries meanwhile, so the url's concurrency cap holds for the cluster.
 * Written only by DeliveryQueue (a claim takes or keeps it, a renewal extends it, a stopping
 * process gives its own up).
 */
@Entity('delivery_url_owners')
export class DeliveryUrlOwner {
  @PrimaryColumn({ type: 'text' })
  url: string;

  @Column({ type: 'text' })
  owner: string;

  @Column({ type: 'timestamptz' })
  until: Date;
}
