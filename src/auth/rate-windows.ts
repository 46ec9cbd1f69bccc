import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Ended windows are deleted with every this-many hits. */
const PRUNE_EVERY = 500;

/**
 * The owner of `rate_windows`: fixed-window counters every process shares. The login rate per
 * address takes one statement a hit (logins are rare); hook calls are folded in by each process
 * every few hundred milliseconds (FoldedRateCounter).
 */
@Injectable()
export class RateWindows {
  private hitsSincePrune = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Adds hits counted elsewhere (FoldedRateCounter) to windows that end at a known time, in one
   * statement; answers each window's total for the cluster.
   */
  async addHits(windows: { key: string; hits: number; endsAt: number }[]): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ key: string; hits: number }[]>(
      `INSERT INTO rate_windows AS w (key, hits, ends_at)
       SELECT k, h, to_timestamp(e / 1000.0) FROM unnest($1::text[], $2::int[], $3::float8[]) AS t (k, h, e)
       ON CONFLICT (key) DO UPDATE SET hits = w.hits + EXCLUDED.hits
       RETURNING key, hits`,
      [windows.map((w) => w.key), windows.map((w) => w.hits), windows.map((w) => w.endsAt)],
    );
    await this.pruneAfter(windows.length);
    return new Map(rows.map((r) => [r.key, r.hits]));
  }

  /** Counts a hit on `key`; answers the hits in its current window and the milliseconds the window has left. */
  async hit(key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
    const [row] = await this.dataSource.query<{ hits: number; ttl: number }[]>(
      `INSERT INTO rate_windows AS w (key, hits, ends_at) VALUES ($1, 1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN w.ends_at <= now() THEN 1 ELSE w.hits + 1 END,
         ends_at = CASE WHEN w.ends_at <= now() THEN now() + $2 * interval '1 millisecond' ELSE w.ends_at END
       RETURNING hits, greatest(0, ceil(extract(epoch FROM (ends_at - now())) * 1000))::int AS ttl`,
      [key, windowMs],
    );
    await this.pruneAfter(1);
    return { current: row.hits, ttl: row.ttl };
  }

  /** Deletes ended windows once every PRUNE_EVERY hits counted. */
  private async pruneAfter(hits: number): Promise<void> {
    if ((this.hitsSincePrune += hits) < PRUNE_EVERY) return;
    this.hitsSincePrune = 0;
    await this.dataSource.query(`DELETE FROM rate_windows WHERE ends_at < now()`);
  }
}
