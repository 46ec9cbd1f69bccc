import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An integration's last success and failure, and its run of failures since the last success
 * (what auto-disable reads). Written only by IntegrationStats.
 */
@Entity('integration_health')
export class IntegrationHealth {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 32 })
  integrationId: string;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_failure_at', type: 'timestamptz', nullable: true })
  lastFailureAt: Date | null;

  @Column({ name: 'last_failure', type: 'text', nullable: true })
  lastFailure: string | null;

  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @Column({ name: 'failures_since', type: 'int', default: 0 })
  failuresSince: number;
}
