import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Integration, ScriptError } from '../entities/integration.entity';

/** One state of an integration's script: kept whenever `script` or `scriptEnabled` changes. */
@Entity('integration_script_revisions')
export class ScriptRevision {
  @PrimaryColumn({ name: 'integration_id', type: 'varchar', length: 32 })
  integrationId: string;

  /** Removing the integration removes its revisions. */
  @ManyToOne(() => Integration, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'integration_script_revisions_integration_id_fkey' })
  integration?: Integration;

  /** 1, 2, 3, … per integration. */
  @PrimaryColumn({ type: 'int' })
  revision: number;

  @Column({ type: 'text', nullable: true })
  script: string | null;

  @Column({ name: 'script_enabled', type: 'boolean' })
  scriptEnabled: boolean;

  @Column({ name: 'script_compiled', type: 'text', nullable: true })
  scriptCompiled: string | null;

  @Column({ name: 'script_error', type: 'jsonb', nullable: true })
  scriptError: ScriptError | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'created_by_id', type: 'varchar', length: 32 })
  createdById: string;

  @Column({ name: 'created_by_username', type: 'text' })
  createdByUsername: string;
}
