import { getHeapSpaceStatistics } from 'node:v8';
import { releaseStartupMemory } from './startup-memory';

const youngGenerationBytes = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

/** V8's "last resort" collection came with the V8 of Node 22 (the oldest Node that package.json allows). */
const releasesMemory = Number(process.versions.node.split('.')[0]) >= 22;

describe('releaseStartupMemory', () => {
  (releasesMemory ? it : it.skip)('shrinks the young generation that allocation has grown', () => {
    // Short-lived objects the way module loading makes them: the young generation grows to hold them.
    let kept: unknown[] = [];
    for (let round = 0; round < 200; round++) kept = Array.from({ length: 20_000 }, (_, i) => ({ i, text: `item ${i}` }));
    expect(kept).toHaveLength(20_000);
    kept = [];
    const grown = youngGenerationBytes();

    const { beforeMb, afterMb } = releaseStartupMemory();

    expect(youngGenerationBytes()).toBeLessThan(grown / 2);
    expect(beforeMb).toBeGreaterThan(0);
    expect(afterMb).toBeGreaterThan(0);
  });

  it('leaves no global gc behind', () => {
    releaseStartupMemory();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
