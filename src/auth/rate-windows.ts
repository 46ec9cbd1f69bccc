import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Ended windows are deleted with every this-many hits. */
const PRUNE_EVERY = 500;

/**
 * The owner of `rate_windows`: fixed-window counters every process shares, one statement a hit
 * (for the login rate per address: logins are rare). Hook calls keep their in-process counter.
 */
@Injectable()
export class RateWindows {
  private hitsSincePrune = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts a hit on `key`; answers the hits in its current window and the milliseconds the window has left. */
  async hit(key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO rate_windows AS w (key, hits, ends_at) VALUES ($1, 1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN w.ends_at <= now() THEN 1 ELSE w.hits + 1 END,
         ends_at = CASE WHEN w.ends_at <= now() THEN now() + $2 * interval '1 millisecond' ELSE w.ends_at END
       RETURNING hits, greatest(0, ceil(extract(epoch FROM (ends_at - now())) * 1000))::int AS ttl`,
      [key, windowMs],
    )) as { hits: number; ttl: number }[];
    if (++this.hitsSincePrune >= PRUNE_EVERY) {
      this.hitsSincePrune = 0;
      await this.dataSource.query(`DELETE FROM rate_windows WHERE ends_at < now()`);
    }
    return { current: row.hits, ttl: row.ttl };
  }
}
