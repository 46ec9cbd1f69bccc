import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Team } from './team.entity';

/** `c` public channel, `p` private group, `d` direct message. */
export type RoomType = 'c' | 'p' | 'd';

@Entity('rooms')
@Index('rooms_name_lower_key', { synchronize: false })
export class Room {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'char', length: 1 })
  type: RoomType;

  /** Unique among channels and groups regardless of case; null for direct messages. */
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  fname: string | null;

  @Column({ name: 'owner_id', type: 'varchar', length: 32, nullable: true })
  ownerId: string | null;

  @Column({ name: 'owner_username', type: 'text', nullable: true })
  ownerUsername: string | null;

  @Column({ name: 'read_only', type: 'boolean', default: false })
  readOnly: boolean;

  @Column({ type: 'boolean', default: false })
  archived: boolean;

  /** Default rooms are joined by every new user (#general). */
  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  @Index('rooms_team_id_idx')
  @Column({ name: 'team_id', type: 'varchar', length: 32, nullable: true })
  teamId: string | null;

  @ManyToOne(() => Team, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'rooms_team_id_fkey' })
  team?: Team;

  @Column({ name: 'team_main', type: 'boolean', default: false })
  teamMain: boolean;

  /** Direct messages: the two participants. */
  @Column({ type: 'text', array: true, nullable: true })
  uids: string[] | null;

  @Column({ type: 'text', array: true, nullable: true })
  usernames: string[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
