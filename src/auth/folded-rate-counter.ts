import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { RateWindows } from './rate-windows';

/** How often a process adds its hits to the cluster's counts and learns the others'. */
export const FOLD_INTERVAL_MS = 250;

interface Window {
  endsAt: number;
  /** The cluster's total as last learnt (this process's folded hits included). */
  known: number;
  /** This process's hits not folded in yet. */
  unfolded: number;
}

/**
 * A rate limit that holds for a cluster without a round trip per call (the hook rate limit per
 * integration): windows are aligned to the clock, so every process counts the same window; each
 * process counts its calls in memory and, at most every FOLD_INTERVAL_MS while it has any, adds them
 * to the window's row in PostgreSQL and reads back the cluster's total. A call is judged on the
 * last known total plus this process's unfolded calls, so the cluster may accept, beyond the
 * limit, what the other processes accept in one fold interval. An idle process makes no statement.
 */
@Injectable()
export class FoldedRateCounter implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;
  private folding: Promise<void> | undefined;

  constructor(private readonly store: RateWindows) {}

  hit(key: string, windowMs: number, now = Date.now()): { current: number; ttl: number } {
    const endsAt = (Math.floor(now / windowMs) + 1) * windowMs;
    const id = `${key}@${endsAt}`;
    let window = this.windows.get(id);
    if (!window) {
      window = { endsAt, known: 0, unfolded: 0 };
      this.windows.set(id, window);
    }
    window.unfolded += 1;
    this.timer ??= setTimeout(() => void this.fold(), FOLD_INTERVAL_MS);
    return { current: window.known + window.unfolded, ttl: endsAt - now };
  }

  /** Adds what this process counted to the cluster's rows and learns their totals. */
  async fold(): Promise<void> {
    this.timer = undefined;
    if (this.folding) return this.folding;
    const now = Date.now();
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
    const pending = [...this.windows].filter(([, w]) => w.unfolded > 0);
    if (!pending.length) return;
    const sent = new Map(pending.map(([id, w]) => [id, w.unfolded]));
    for (const [, w] of pending) w.unfolded = 0;
    this.folding = this.store
      .addHits(pending.map(([id, w]) => ({ key: id, hits: sent.get(id) as number, endsAt: w.endsAt })))
      .then((totals) => {
        for (const [id, total] of totals) {
          const window = this.windows.get(id);
          if (window) window.known = total;
        }
      })
      .catch((error: Error) => {
        // The database is away: the hits stay counted here and go with the next fold.
        for (const [id, hits] of sent) {
          const window = this.windows.get(id);
          if (window) window.unfolded += hits;
        }
        this.logger.debug(`hook rate counts not folded: ${error.message}`);
      })
      .finally(() => {
        this.folding = undefined;
        if ([...this.windows.values()].some((w) => w.unfolded > 0)) this.timer ??= setTimeout(() => void this.fold(), FOLD_INTERVAL_MS);
      });
    return this.folding;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.folding;
  }
}
