import { retryDelayMs } from './retry-policy';

describe('retryDelayMs: the delay before retry n+1 (spec §5.7)', () => {
  const cases: [string, number, number | undefined][] = [
    ['powers-of-ten', 0, 100],
    ['powers-of-ten', 1, 1_000],
    ['powers-of-ten', 2, 10_000],
    ['powers-of-two', 0, 2_000],
    ['powers-of-two', 1, 4_000],
    ['powers-of-two', 3, 16_000],
    ['increments-of-two', 0, 2_000],
    ['increments-of-two', 1, 4_000],
    ['increments-of-two', 2, 6_000],
    ['fibonacci', 0, undefined],
    ['', 0, undefined],
  ];
  it.each(cases)('%s after try %i waits %p ms', (strategy, tries, delay) => {
    expect(retryDelayMs(strategy, tries)).toBe(delay);
  });
});
