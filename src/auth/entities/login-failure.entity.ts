import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed logins of one user name (`user:<name>`) or one address (`address:<ip>`), shared by every process. */
@Entity('login_failures')
export class LoginFailure {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'int' })
  failures: number;

  @Column({ name: 'last_failed_at', type: 'timestamptz' })
  lastFailedAt: Date;
}
