import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../users/entities/user.entity';

export type LoginTokenType = 'resume' | 'personalAccessToken';

/**
 * A login session (`resume`, made by login, expires) or a personal access token (named, made by
 * users.generatePersonalAccessToken, kept until removed). Only the SHA-256 of the token is
 * stored; the token itself is shown once.
 */
@Entity('login_tokens')
@Index('login_tokens_user_name_key', { synchronize: false })
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

  @Column({ type: 'varchar', length: 24, default: 'resume' })
  type: LoginTokenType;

  /** A personal access token's name, unique per user. */
  @Column({ type: 'text', nullable: true })
  name: string | null;

  /** The token's last six characters, so its owner can tell tokens apart. */
  @Column({ name: 'last_token_part', type: 'varchar', length: 6, nullable: true })
  lastTokenPart: string | null;

  @Column({ name: 'bypass_two_factor', type: 'boolean', nullable: true })
  bypassTwoFactor: boolean | null;
}
