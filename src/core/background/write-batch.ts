/**
 * Gathers items for a few milliseconds and writes them together: one statement for many items
 * instead of one each. `add` resolves once the item's batch is written (or rejects with its
 * error). Batches are written one after another; a full batch is written without waiting. With a
 * `bound`, at most `maxPending` items wait: past it the oldest are dropped (their `add` resolves)
 * and counted with `onDrop`, for writes that must never hold up or fail their callers.
 */
export class WriteBatch<T> {
  private items: T[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly waitMs: number,
    private readonly maxItems: number,
    private readonly bound?: { maxPending: number; onDrop: (count: number) => void },
  ) {}

  add(item: T): Promise<void> {
    this.items.push(item);
    const written = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.bound && this.items.length > this.bound.maxPending) {
      const excess = this.items.length - this.bound.maxPending;
      this.items.splice(0, excess);
      this.waiters.splice(0, excess).forEach((w) => w.resolve());
      this.bound.onDrop(excess);
    }
    // flush() never rejects: a failed write rejects its waiters instead.
    if (this.items.length >= this.maxItems) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.waitMs);
    return written;
  }

  /** Writes what is gathered now; resolves when everything added so far is written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length === 0) return this.writing;
    const items = this.items;
    const waiters = this.waiters;
    this.items = [];
    this.waiters = [];
    this.writing = this.writing.then(() =>
      this.write(items).then(
        () => waiters.forEach((w) => w.resolve()),
        (error: unknown) => waiters.forEach((w) => w.reject(error)),
      ),
    );
    return this.writing;
  }
}
