import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** 0: public team (main room a channel); 1: private team (main room a group). */
export type TeamType = 0 | 1;

@Entity('teams')
@Index('teams_name_lower_key', { synchronize: false })
export class Team {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'smallint' })
  type: TeamType;

  @Column({ name: 'room_id', type: 'varchar', length: 32 })
  roomId: string;

  @Column({ name: 'created_by_id', type: 'varchar', length: 32 })
  createdById: string;

  @Column({ name: 'created_by_username', type: 'text' })
  createdByUsername: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
