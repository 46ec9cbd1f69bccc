import type { FastifyRateLimitStore } from '@fastify/rate-limit';

interface Window {
  count: number;
  endsAt: number;
}

/** A counter every process shares (RateWindows), for keys that must hold cluster-wide. */
export type ClusterCounter = (key: string, windowMs: number) => Promise<{ current: number; ttl: number }>;
/** A cluster-wide counter judged from memory (FoldedRateCounter), for keys hit thousands of times a second. */
export type FoldedCounter = (key: string, windowMs: number) => { current: number; ttl: number };

/**
 * A fixed-window counter store for `@fastify/rate-limit` that every route shares. The plugin
 * gives each route a store of its own (`child`), so the two URL forms of one hook would count
 * apart; here `child` returns the same store, and the key alone (the integration id) decides.
 * Keys starting `login:` are counted in PostgreSQL through `counter`, a statement each (logins are
 * rare); `hook:` keys through `folded` (hook calls, thousands a second: counted in memory, folded
 * into PostgreSQL every few hundred milliseconds). Both hold for the cluster.
 */
export function sharedRateStore(counter: ClusterCounter, folded: FoldedCounter) {
  return class extends SharedRateStore {
    protected override readonly cluster = counter;
    protected override readonly folded = folded;
  };
}

export class SharedRateStore implements FastifyRateLimitStore {
  protected readonly cluster: ClusterCounter | undefined = undefined;
  protected readonly folded: FoldedCounter | undefined = undefined;
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private sweepAt = 0;

  /** The plugin passes its settings, `timeWindow` already in milliseconds. */
  constructor(options: { timeWindow?: unknown }) {
    this.windowMs = typeof options.timeWindow === 'number' ? options.timeWindow : 60_000;
  }

  /** `timeWindow`: the window of the route being counted (the plugin passes it; routes may differ). */
  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow = this.windowMs): void {
    if (this.cluster && key.startsWith('login:')) {
      this.cluster(key, timeWindow).then((result) => callback(null, result), (error: Error) => callback(error));
      return;
    }
    if (this.folded && key.startsWith('hook:')) {
      callback(null, this.folded(key, timeWindow));
      return;
    }
    const now = Date.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + timeWindow };
      this.windows.set(key, window);
    }
    window.count += 1;
    callback(null, { current: window.count, ttl: window.endsAt - now });
  }

  child(): FastifyRateLimitStore {
    return this;
  }

  /** Drops ended windows now and then, so keys of hooks no longer called do not pile up. */
  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    this.sweepAt = now + this.windowMs;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
