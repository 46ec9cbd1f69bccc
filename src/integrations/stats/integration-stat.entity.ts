import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Calls or delivery attempts of one integration in one 5-minute bucket, and how many failed.
 * Written only by IntegrationStats. No foreign key: a removed integration's rows are deleted with
 * it (IntegrationStats.deleteFor) and old buckets are pruned.
 */
@Entity('integration_stats')
export class IntegrationStat {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 32 })
  integrationId: string;

  @PrimaryColumn({ type: 'timestamptz' })
  bucket: Date;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ type: 'int' })
  failures: number;
}
