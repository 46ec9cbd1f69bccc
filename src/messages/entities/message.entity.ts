import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Room } from '../../rooms/entities/room.entity';

export interface MessageFile {
  _id: string;
  name: string;
  type: string;
  size: number;
}

@Entity('messages')
@Index('messages_room_ts_id_idx', { synchronize: false })
export class Message {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ name: 'room_id', type: 'varchar', length: 64 })
  roomId: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'messages_room_id_fkey' })
  room?: Room;

  @Column({ type: 'text', default: '' })
  msg: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  ts: Date;

  @Column({ name: 'user_id', type: 'varchar', length: 32 })
  userId: string;

  @Column({ type: 'text' })
  username: string;

  @Column({ name: 'user_name', type: 'text', default: '' })
  userName: string;

  @Column({ type: 'text', nullable: true })
  alias: string | null;

  @Column({ type: 'text', nullable: true })
  emoji: string | null;

  @Column({ type: 'text', nullable: true })
  avatar: string | null;

  @Column({ type: 'jsonb', nullable: true })
  attachments: Record<string, unknown>[] | null;

  /** `{i: <integrationId>}` when an integration posted it. */
  @Column({ type: 'jsonb', nullable: true })
  bot: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  tmid: string | null;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  @Column({ name: 'edited_by', type: 'jsonb', nullable: true })
  editedBy: { _id: string; username: string } | null;

  @Column({ type: 'jsonb', nullable: true })
  file: MessageFile | null;

  @Column({ type: 'boolean', nullable: true })
  groupable: boolean | null;

  @Column({ name: 'parse_urls', type: 'boolean', nullable: true })
  parseUrls: boolean | null;

  @Column({ name: 'custom_fields', type: 'jsonb', nullable: true })
  customFields: Record<string, unknown> | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
