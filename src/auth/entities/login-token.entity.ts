import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../users/entities/user.entity';

/** A login session. Only the SHA-256 of the token is stored; the token itself is shown once, at login. */
@Entity('login_tokens')
export class LoginToken {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Index('login_tokens_user_id_idx')
  @Column({ name: 'user_id', type: 'varchar', length: 32 })
  userId: string;

  /** Deleting a user ends their sessions. */
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'login_tokens_user_id_fkey' })
  user?: User;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
