/**
 * Gathers items for a few milliseconds and writes them together: one statement for many items
 * instead of one each. `add` resolves once the item's batch is written (or rejects with its
 * error). Batches are written one after another; a full batch is written without waiting.
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
  ) {}

  add(item: T): Promise<void> {
    this.items.push(item);
    const written = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.items.length >= this.maxItems) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.waitMs);
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
