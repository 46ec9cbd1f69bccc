/**
 * Concurrent writes of one kind sent together, without a timer: an item goes out at once while
 * fewer than `maxInFlight` writes are under way; otherwise it waits for one of them to finish and
 * goes out with every item that waited meanwhile (up to `maxItems` a write). An idle server writes
 * each item alone and at once; a busy one sends one statement, one commit, for many. `write`
 * answers each item's own outcome (undefined for written, or its error), so one bad item fails
 * only its own `add`.
 */
export class CoalescedWrites<T> {
  private waiting: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<unknown[]>,
    private readonly maxInFlight: number,
    private readonly maxItems: number,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.send();
    });
  }

  private send(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length) {
      const batch = this.waiting.splice(0, this.maxItems);
      this.inFlight += 1;
      this.write(batch.map((b) => b.item))
        .then(
          (errors) => batch.forEach((b, i) => (errors[i] === undefined ? b.resolve() : b.reject(errors[i]))),
          (error: unknown) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.send();
        });
    }
  }
}
