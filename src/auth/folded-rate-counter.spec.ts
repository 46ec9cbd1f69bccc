import { FOLD_INTERVAL_MS, FoldedRateCounter } from './folded-rate-counter';
import { RateWindows } from './rate-windows';

/** Three processes' counters over one shared table (a Map standing in for rate_windows). */
function cluster(size: number) {
  const table = new Map<string, number>();
  let statements = 0;
  const store = {
    addHits: async (windows: { key: string; hits: number }[]) => {
      statements += 1;
      for (const w of windows) table.set(w.key, (table.get(w.key) ?? 0) + w.hits);
      return new Map(windows.map((w) => [w.key, table.get(w.key) as number]));
    },
  } as unknown as RateWindows;
  return { counters: Array.from({ length: size }, () => new FoldedRateCounter(store)), statements: () => statements };
}

describe('FoldedRateCounter: one limit for a cluster without a statement per call', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('counts every process’s calls once they are folded', async () => {
    const { counters } = cluster(3);
    counters.forEach((c) => c.hit('hook:a', 60_000));
    for (const c of counters) await c.fold();
    // The first to fold learnt only its own call; its next fold learns the others'.
    expect(counters[0].hit('hook:a', 60_000).current).toBe(2);
    await counters[0].fold();
    expect(counters[0].hit('hook:a', 60_000).current).toBe(5);
  });

  it('lets the cluster go over the limit by at most what the others accept in one fold interval', async () => {
    const { counters } = cluster(3);
    const limit = 30;
    let accepted = 0;
    // 10 calls per fold interval, round-robin, for 2 seconds.
    for (let tick = 0; tick < 8; tick++) {
      for (let i = 0; i < 10; i++) if (counters[i % 3].hit('hook:b', 60_000).current <= limit) accepted += 1;
      await jest.advanceTimersByTimeAsync(FOLD_INTERVAL_MS);
    }
    expect(accepted).toBeGreaterThanOrEqual(limit);
    expect(accepted).toBeLessThanOrEqual(limit + 10);
  });

  it('makes no statement while idle, and starts a new count with the next window', async () => {
    const { counters, statements } = cluster(1);
    const [counter] = counters;
    counter.hit('hook:c', 1_000);
    await jest.advanceTimersByTimeAsync(FOLD_INTERVAL_MS);
    const made = statements();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(statements()).toBe(made);
    expect(counter.hit('hook:c', 1_000).current).toBe(1);
  });
});
