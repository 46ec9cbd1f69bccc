import { CoalescedWrites } from './coalesced-writes';

/** A write the test finishes by hand. */
function controlledWrites() {
  const calls: { items: number[]; finish: (errors?: unknown[]) => void; fail: (error: unknown) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<unknown[]>((resolve, reject) => calls.push({ items, finish: (errors = []) => resolve(errors), fail: reject }));
  return { calls, write };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('CoalescedWrites', () => {
  it('sends items at once while writes are free, then gathers what waits into the next write', async () => {
    const { calls, write } = controlledWrites();
    const writes = new CoalescedWrites<number>(write, 2, 100);
    const adds = [1, 2, 3, 4, 5].map((n) => writes.add(n));
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[0].finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4, 5]]);
    calls[1].finish();
    calls[2].finish();
    await Promise.all(adds);
  });

  it('caps a write at maxItems', async () => {
    const { calls, write } = controlledWrites();
    const writes = new CoalescedWrites<number>(write, 1, 2);
    const adds = [1, 2, 3, 4].map((n) => writes.add(n));
    calls[0].finish();
    await tick();
    calls[1].finish();
    await tick();
    calls[2].finish();
    await Promise.all(adds);
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3], [4]]);
  });

  it('fails only the items the write reports, and every item of a write that throws', async () => {
    const { calls, write } = controlledWrites();
    const writes = new CoalescedWrites<number>(write, 1, 100);
    const first = writes.add(1);
    const [two, three] = [writes.add(2), writes.add(3)];
    calls[0].fail(new Error('down'));
    await expect(first).rejects.toThrow('down');
    await tick();
    calls[1].finish([undefined, new Error('duplicate')]);
    await expect(two).resolves.toBeUndefined();
    await expect(three).rejects.toThrow('duplicate');
  });
});
