import { WriteBatch } from './write-batch';

describe('WriteBatch', () => {
  it('writes what is gathered in one call, and a full batch without waiting', async () => {
    const written: number[][] = [];
    const batch = new WriteBatch<number>(async (items) => void written.push(items), 10_000, 3);
    const adds = [1, 2, 3].map((n) => batch.add(n));
    await Promise.all(adds);
    expect(written).toEqual([[1, 2, 3]]);
    void batch.add(4);
    await batch.flush();
    expect(written).toEqual([[1, 2, 3], [4]]);
  });

  it('with a bound, drops the oldest waiting items past it, counts them, and resolves their adds', async () => {
    const written: number[][] = [];
    const dropped: number[] = [];
    const batch = new WriteBatch<number>(async (items) => void written.push(items), 10_000, 100, { maxPending: 2, onDrop: (n) => dropped.push(n) });
    const adds = [1, 2, 3, 4].map((n) => batch.add(n));
    await batch.flush();
    await Promise.all(adds);
    expect(written).toEqual([[3, 4]]);
    expect(dropped).toEqual([1, 1]);
  });

  it('rejects the adds of a batch whose write fails', async () => {
    const batch = new WriteBatch<number>(async () => Promise.reject(new Error('down')), 10_000, 100);
    const add = batch.add(1);
    void batch.flush().catch(() => undefined);
    await expect(add).rejects.toThrow('down');
  });
});
