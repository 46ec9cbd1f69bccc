import { CachedTable, ChangeFeed, EVERYTHING } from './change-feed';

/**
 * An in-memory cache of rows looked up by key, emptied whenever one of `tables` changes (see
 * ChangeFeed). Values are frozen: they are shared between requests, and a caller that tried to
 * modify one would corrupt everyone's view. Misses (null) are not kept, so random keys cannot
 * crowd out real entries; at `max` entries the oldest goes first.
 */
export class CachedLookup<V extends object> {
  private readonly entries = new Map<string, Readonly<V>>();
  private generation = 0;

  constructor(
    private readonly feed: ChangeFeed,
    tables: readonly CachedTable[],
    private readonly max = 10_000,
  ) {
    feed.onChange((table) => {
      if (table !== EVERYTHING && !tables.includes(table as CachedTable)) return;
      this.entries.clear();
      this.generation += 1;
    });
  }

  /** The cached value, without loading one (undefined when not cached, or while the feed is down). */
  peek(key: string): Readonly<V> | undefined {
    return this.feed.live ? this.entries.get(key) : undefined;
  }

  async get(key: string, load: () => Promise<V | null>): Promise<Readonly<V> | null> {
    if (!this.feed.live) return load();
    const hit = this.entries.get(key);
    if (hit) return hit;
    const generation = this.generation;
    const value = await load();
    // A change during the load may have come after the row was read: keep only untouched reads.
    if (value && generation === this.generation && this.feed.live) {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, Object.freeze(value));
    }
    return value;
  }
}
