import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../users/entities/user.entity';
import { Room } from './room.entity';

/** Membership of a user in a room, with the roles they hold there (`owner`, `moderator`). */
@Entity('subscriptions')
export class Subscription {
  @PrimaryColumn({ name: 'room_id', type: 'varchar', length: 64 })
  roomId: string;

  @Index('subscriptions_user_id_idx')
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 32 })
  userId: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'subscriptions_room_id_fkey' })
  room?: Room;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'subscriptions_user_id_fkey' })
  user?: User;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
