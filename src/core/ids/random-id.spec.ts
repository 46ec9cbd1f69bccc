import { randomId, UNMISTAKABLE_CHARS } from './random-id';

describe('randomId', () => {
  it('is 17 characters of the unmistakable alphabet unless told otherwise', () => {
    expect(randomId()).toMatch(new RegExp(`^[${UNMISTAKABLE_CHARS}]{17}$`));
    expect(randomId(24)).toHaveLength(24);
  });

  it('uses every character about equally often, across many pool refills', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) for (const c of randomId()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(UNMISTAKABLE_CHARS.length);
    const expected = (20_000 * 17) / UNMISTAKABLE_CHARS.length;
    // 6,182 draws per character: 10 % either side is about 8 standard deviations, and a plain
    // `byte % 55` (without skipping the top bytes) leaves 19 characters 14 % short.
    for (const count of counts.values()) expect(Math.abs(count - expected)).toBeLessThan(expected * 0.1);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => randomId()));
    expect(ids.size).toBe(10_000);
  });
});
