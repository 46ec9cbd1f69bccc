import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type UserType = 'user' | 'bot';

/** A person or bot. Usernames and e-mails are unique regardless of case (expression indexes). */
@Entity('users')
@Index('users_username_lower_key', { synchronize: false })
@Index('users_email_lower_key', { synchronize: false })
@Index('users_username_idx', { synchronize: false })
export class User {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ type: 'text' })
  username: string;

  @Column({ type: 'text', default: '' })
  name: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified: boolean;

  /** bcrypt of the SHA-256 hex digest of the password, as Rocket.Chat stores it; null for bots without login. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'varchar', length: 8, default: 'user' })
  type: UserType;

  @Column({ name: 'require_password_change', type: 'boolean', default: false })
  requirePasswordChange: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
