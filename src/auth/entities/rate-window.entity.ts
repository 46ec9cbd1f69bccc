import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A fixed window of a rate limit every process shares (the login rate per address). */
@Entity('rate_windows')
export class RateWindow {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'int' })
  hits: number;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;
}
