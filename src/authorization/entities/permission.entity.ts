import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A permission and the roles that hold it. */
@Entity('permissions')
export class Permission {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id: string;

  @Index('permissions_roles_gin', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles: string[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
