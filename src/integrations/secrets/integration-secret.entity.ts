import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Integration } from '../entities/integration.entity';

/**
 * One sealed value of an integration: a script secret (`name`) or one of an outgoing
 * integration's own headers (`header:<name>`). Written only by SecretsVault, which seals `value`
 * (AES-256-GCM) before it is written; the names are also kept on the integration.
 */
@Entity('integration_secrets')
export class IntegrationSecret {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 32 })
  integrationId: string;

  @ManyToOne(() => Integration, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'integration_secrets_integration_id_fkey' })
  integration?: Integration;

  @PrimaryColumn({ type: 'varchar', length: 140 })
  name: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
