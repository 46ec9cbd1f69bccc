import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type RoleScope = 'Users' | 'Subscriptions';

@Entity('roles')
export class Role {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** `Users`: held globally; `Subscriptions`: held per room (owner, moderator). */
  @Column({ type: 'varchar', length: 16, default: 'Users' })
  scope: RoleScope;

  @Column({ type: 'boolean', default: true })
  protected: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
